"""Browser tests: Playwright's Python package driving Debian's Chromium.

Every page a browser test visits is checked by axe-core (WCAG 2.0 and 2.1, levels A and
AA), from the axe-core copy that axe-playwright-python ships, so nothing is fetched:

- each document runs the check itself once it has loaded, and reports it to the test;
- a navigation away from a document is held until that document has reported, so a
  test that clicks on at once does not leave a page unchecked;
- at the end of the test the last page's report is awaited;
- `accessibility(again=True)` checks a state reached without loading a page (a dialog
  opened, a panel shown).

A serious or critical violation fails the test, with the rule, the elements and the
page's address.
"""

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

CHROMIUM = Path(os.environ.get("PORTAIL_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ["serious", "critical"]
AXE_STATE = pytest.StashKey()
REPORT_TIMEOUT = 15

# Runs in every document before its own scripts, through the DevTools protocol, so the
# portal's CSP (no inline script) does not apply to it. TAGS and IMPACTS are filled in
# below (the braces of JavaScript rule out str.format).
CHECK_EACH_DOCUMENT = """
(() => {
  if (window !== window.top || !location.protocol.startsWith("http")) {
    return;
  }
  const id = Math.random().toString(36).slice(2);
  const verifier = async () => {
    if (document.contentType !== "text/html") {
      return window.__portailAxe({id, etape: "fin", url: location.href, ignore: true});
    }
    window.__portailAxe({id, etape: "debut", url: location.href});
    try {
      const results = await axe.run(document, {
        runOnly: {type: "tag", values: TAGS},
        resultTypes: ["violations"],
      });
      const violations = results.violations
        .filter((violation) => IMPACTS.includes(violation.impact))
        .map((violation) => ({
          id: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.join(" ")),
        }));
      window.__portailAxe({id, etape: "fin", url: location.href, violations});
    } catch (error) {
      window.__portailAxe({id, etape: "fin", url: location.href, erreur: String(error)});
    }
  };
  window.__portailVerifier = verifier;
  window.__portailAxe({id, etape: "attendu", url: location.href});
  // After the page's own load handlers (the admin builds some widgets on load).
  if (document.readyState === "complete") {
    setTimeout(verifier);
  } else {
    window.addEventListener("load", () => setTimeout(verifier), {once: true});
  }
})();
""".replace("TAGS", json.dumps(WCAG_TAGS)).replace("IMPACTS", json.dumps(BLOCKING_IMPACTS))

# Playwright's sync API runs an event loop in the test thread; the Django ORM calls
# made by the tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass
class AccessibilityCheck:
    page: object
    cdp: object = None
    pending: set = field(default_factory=set)
    held_requests: list = field(default_factory=list)
    checked: list = field(default_factory=list)
    violations: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    def __call__(self, *, again=False):
        """Wait for the current page's check; with `again`, check the page as it is now."""
        if again:
            self.page.evaluate("window.__portailVerifier()")
        self.wait()

    def wait(self):
        deadline = time.monotonic() + REPORT_TIMEOUT
        while self.pending:
            if time.monotonic() > deadline:
                self.errors.append(f"pas de résultat d'axe pour {sorted(self.pending)}")
                return
            self.page.wait_for_timeout(50)

    def receive(self, source, message):
        if message["etape"] in ("attendu", "debut"):
            self.pending.add(message["id"])
            return
        self.pending.discard(message["id"])
        if not message.get("ignore"):
            self.checked.append(message["url"])
        if "erreur" in message:
            self.errors.append(f"axe a échoué sur {message['url']} : {message['erreur']}")
        self.violations += [
            dict(violation, url=message["url"]) for violation in message.get("violations", [])
        ]
        if not self.pending:
            self.release()

    def on_navigation(self, event):
        self.held_requests.append(event["requestId"])
        if not self.pending:
            self.release()

    def release(self):
        while self.held_requests:
            self.cdp.send("Fetch.continueRequest", {"requestId": self.held_requests.pop(0)})

    def report(self):
        lines = [f"{len(self.violations)} violation(s) WCAG 2.1 A/AA graves ou critiques :"]
        lines += [
            f"- {violation['id']} ({violation['impact']}) sur {violation['url']} : "
            f"{violation['help']} → {' | '.join(violation['targets'][:5])}"
            for violation in self.violations
        ]
        return "\n".join(lines + self.errors)


def check_every_document(context, page):
    check = AccessibilityCheck(page)
    context.expose_binding("__portailAxe", check.receive)
    context.add_init_script(AXE_SCRIPT + CHECK_EACH_DOCUMENT)
    # The DevTools Fetch domain rather than `page.route`: routing would turn the HTTP
    # cache off and so hide what the cache tests look at.
    check.cdp = context.new_cdp_session(page)
    main_frame = check.cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
    check.cdp.on(
        "Fetch.requestPaused",
        lambda event: (
            check.on_navigation(event)
            if event["frameId"] == main_frame
            else check.cdp.send("Fetch.continueRequest", {"requestId": event["requestId"]})
        ),
    )
    check.cdp.send("Fetch.enable", {"patterns": [{"resourceType": "Document"}]})
    return check


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI and was not found at {CHROMIUM}.")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(request, chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    request.node.stash[AXE_STATE] = check_every_document(context, page)
    yield page
    context.close()


@pytest.fixture
def accessibility(request, page):
    """The axe check of the page fixture: which pages it checked, what it found."""
    return request.node.stash[AXE_STATE]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # After the test body and before the fixtures' teardown: the last page is still
    # open, and a violation fails the test itself rather than its teardown.
    result = yield
    check = item.stash.get(AXE_STATE, None)
    if check is not None:
        check.wait()
        if check.violations or check.errors:
            pytest.fail(check.report(), pytrace=False)
    return result


@pytest.fixture
def screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
