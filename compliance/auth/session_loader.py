"""Flask-Login's user loader: the session id carries a version so old sessions can be ended."""

from compliance.extensions import db, login_manager
from compliance.i18n import lazy_gettext as _l
from compliance.models import User

login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Sign in to see this page")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
