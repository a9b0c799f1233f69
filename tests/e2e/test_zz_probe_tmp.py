import time
from tests.e2e.conftest import sign_in
def test_probe(page, live_server):
    sign_in(page, live_server, "trainee@example.com")
    for slug in ["law-and-liability","what-counts-as-a-knife","test-purchases","challenge-25-and-id"]:
        page.goto(f"{live_server}/training/modules/{slug}")
        n = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex]')].filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length""")
        t=time.monotonic()
        for _ in range(20): page.keyboard.press("Tab"); page.evaluate("document.activeElement.tagName")
        print(slug, n, (time.monotonic()-t)/20)
    # wraparound test
    page.goto(f"{live_server}/training/")
    page.keyboard.press("Shift+Tab")
    print("shift-tab from start:", page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
    for i in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"): print("body at", i)
    print(page.evaluate("document.activeElement.outerHTML.slice(0,120)"))
