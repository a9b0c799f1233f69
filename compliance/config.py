"""Default settings. Secrets and addresses come from the environment (see create_app)."""

from datetime import timedelta


class Config:
    """Defaults only: no secrets, no database address."""

    # Pooled connections are pinged before use only after DATABASE_PING_IDLE_SECONDS idle
    # (compliance/db_ping.py), not on every request as pool_pre_ping would.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DATABASE_PING_IDLE_SECONDS = 10
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 4 * 3600

    BABEL_DEFAULT_LOCALE = "en"
    SERVICE_NAME = "Knife Sales Compliance"

    # Flask-Limiter: in-memory by default; RATELIMIT_STORAGE_URI=redis://… in production.
    RATELIMIT_STORAGE_URI = "memory://"
    # No X-RateLimit-* headers on every limited response: they cost a Redis read per request
    # (the verify page and JSON). A refused request still says when to come back (Retry-After,
    # compliance/errors.py).
    RATELIMIT_HEADERS_ENABLED = False
    LOGIN_LIMIT_PER_ADDRESS = "30 per minute;200 per hour"
    LOGIN_LIMIT_PER_ACCOUNT = "20 per minute;100 per hour"
    # Registration tells whether an email address has an account, so it is limited too.
    REGISTRATION_LIMIT = "10 per hour"
    INVITATION_LIMIT = "60 per hour"  # per signed-in manager or admin
    LOCKOUT_THRESHOLD = 10
    LOCKOUT_MINUTES = 15

    PASSWORD_MIN_LENGTH = 12
    # argon2id parameters (argon2-cffi defaults); tests lower them for speed.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    INVITATION_DAYS = 7
    PASSWORD_RESET_HOURS = 2

    # Email: "log" writes messages to the application log; "smtp" sends them.
    MAIL_BACKEND = "log"
    MAIL_SENDER = "no-reply@knife-sales-compliance.invalid"
    MAIL_SMTP_HOST = "localhost"
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_USERNAME = None
    MAIL_SMTP_PASSWORD = None
    MAIL_SMTP_STARTTLS = True
    # Absolute links in emails (invitations, resets) are built from this when set.
    PUBLIC_BASE_URL = None

    PAGE_SIZE = 25
    # Visit lists count this far and no further ("more than 1,000 visits"): an exact total of
    # an agency's 50,000 visits would cost as much as reading them all on every page.
    VISIT_LIST_COUNT_CAP = 1000
    # A search counts its matches this far: each counted visit is checked against the search
    # (shop, business, postcode), so a common word counting to 1,000 cost 39 ms at national
    # scale; past 100 the officer is better served by a narrower search.
    VISIT_SEARCH_COUNT_CAP = 100
    # A business's follow-ups count this far ("more than 100"): each counted follow-up is
    # checked against its visit, so a chain's 1,000 closed ones cost 4 ms on every page.
    FOLLOW_UP_LIST_COUNT_CAP = 100
    # The visit form offers the operations running within this many days of the visit.
    VISIT_FORM_OPERATION_DAYS = 120
    # ...and at most this many of them, the nearest to the visit's date (running ones first).
    VISIT_FORM_OPERATIONS = 8
    # Other long lists (certificates, accounts) count this far ("more than 1,000").
    LIST_COUNT_CAP = 1000
    # Officers' and admins' home pages show PostgreSQL's estimate of a table this large
    # ("about 50,000 premises") instead of counting it on every visit.
    ESTIMATE_COUNTS_FROM = 10_000
    HOME_PREMISES_PER_PAGE = 10  # a manager's home page shows to-dos for this many premises
    # A guidance module is due for a fresh check against the domain reference this many days
    # after its last review (the law is moving: Crime and Policing Act 2026 commencement).
    CONTENT_REVIEW_DAYS = 180
    # How far back a refused sale can be recorded: the register is kept as it happens, not
    # rebuilt months later from memory.
    REFUSAL_MAX_DAYS_BACK = 90

    # Training and the quiz.
    QUIZ_LENGTH = 15
    QUIZ_PASS_MARK = 80  # percent
    QUIZ_COOLING_OFF_MINUTES = 10
    # After a fail, show which questions were wrong but not the right options (Moodle's
    # "show right answers" is this set to True).
    QUIZ_SHOW_RIGHT_ANSWERS_ON_FAIL = False
    TRAINING_VALID_DAYS = 365  # the Home Office voluntary agreement asks for yearly refreshers
    TRAINING_EXPIRY_WARNING_DAYS = 30

    # Certificates.
    CERTIFICATE_VALID_DAYS = 365
    PREMISES_CERT_TRAINED_SHARE = 90  # percent of active staff with a current certificate
    CERTIFICATE_REMINDER_DAYS = 30
    VERIFY_RATE_LIMIT = "30 per minute;300 per hour"
    # The public "check a PDF you were sent" page: same limit, and the largest upload it reads.
    CHECK_PDF_RATE_LIMIT = "30 per minute;300 per hour"
    CHECK_PDF_MAX_BYTES = 2 * 1024 * 1024

    # Prepared exports (the refusals register PDF, operation CSVs): built by a job into this
    # folder (default: the instance folder's exports/; shared by every machine, like the
    # evidence folder) and kept this long.
    EXPORT_STORAGE_DIR = None
    EXPORT_KEEP_DAYS = 7

    # Evidence files (photos, PDFs) for follow-ups and checklist findings: stored once by
    # SHA-256 in this folder (default: the instance folder's evidence/), each at most this big.
    EVIDENCE_STORAGE_DIR = None
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

    # PDF signing (PAdES). Paths or PEM text; production refuses to issue without them.
    SIGNING_KEY_PATH = None
    SIGNING_CERT_PATH = None  # the signer's certificate first, then any issuing chain
    SIGNING_KEY_PEM = None
    SIGNING_CERT_PEM = None
    SIGNING_KEY_PASSWORD = None
    SIGNING_PREVIOUS_CERTS_PATH = None  # certificates used before a rotation, still ours

    # Open Badges 3.0 credentials (VC-JWT, Ed25519): a folder of <YYYY-MM-DD>.pem keys, each
    # signing from its start date; every key in it is published at /.well-known/jwks.json.
    CREDENTIAL_KEYS_DIR = None
    CREDENTIAL_ISSUER_NAME = "Knife Sales Compliance Partnership"
    CREDENTIAL_ISSUER_DESCRIPTION = (
        "A police and trading standards partnership that trains and checks shops selling "
        "knives in the United Kingdom.")
    # Set to the number of reverse proxies in front of the app (production: usually 1).
    TRUSTED_PROXY_COUNT = 0

    # Background jobs (compliance/jobs): "redis" pushes them to RQ for `flask jobs worker`;
    # "inline" runs them in-process after the commit (the demo and tests: no Redis needed).
    JOBS_MODE = "redis"
    JOBS_REDIS_URL = "redis://localhost:6379/0"
    JOBS_QUEUE = "compliance"
    JOBS_MAX_ATTEMPTS = 5  # then the job is dead: see the admin page "Background jobs"
    JOBS_RETRY_INTERVALS = (10, 60, 300, 1800)  # seconds before each retry
    JOBS_TIMEOUT_SECONDS = 300
    # A job on the queue this long without finishing is handed over again (Redis lost it).
    JOBS_STALE_MINUTES = 60
