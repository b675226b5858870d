"""The learner's journey with the keyboard only: Tab, Shift+Tab, Space, Enter and the arrow
keys, never the mouse. On every page the focus must visit each control in document order,
and always be visible."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Numbers every control the Tab key should stop at, in document order (a radio group is one
# stop: its checked radio, else its first), and returns how many there are.
NUMBER_TAB_STOPS = """() => {
  const controls = document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), '
    + 'select:not([disabled]), textarea:not([disabled]), details > summary:first-of-type, '
    + '[tabindex]:not([tabindex="-1"])');
  const groups = new Set();
  const stops = [];
  for (const control of controls) {
    if (control.type === 'radio') {
      if (groups.has(control.name)) continue;
      groups.add(control.name);
      const radios = [...document.querySelectorAll(`input[type=radio][name="${control.name}"]`)];
      stops.push(radios.find((radio) => radio.checked) || control);
    } else {
      stops.push(control);
    }
  }
  stops.forEach((control, i) => { control.dataset.tabStop = String(i); });
  return stops.length;
}"""

# Where the focus is, and whether a sighted keyboard user can see it.
FOCUSED_CONTROL = """() => {
  const control = document.activeElement;
  const style = getComputedStyle(control);
  const box = control.getBoundingClientRect();
  return {
    stop: control.dataset ? (control.dataset.tabStop ?? null) : null,
    html: control.outerHTML.slice(0, 120),
    indicated: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
      || style.boxShadow !== 'none',
    box: [box.top, box.bottom, window.innerHeight, window.scrollY, document.documentElement.scrollHeight].join(" "),
    // One pixel of slack: fractional layouts end 0.1 px past the edge of a fully shown control.
    inView: box.width > 0 && box.height > 0 && box.top >= -1 && box.left >= -1
      && box.bottom <= window.innerHeight + 1 && box.right <= window.innerWidth + 1,
  };
}"""


class KeyboardUser:
    """Moves through a page with Tab and Shift+Tab, checking the focus at every step."""

    def __init__(self, page):
        self.page = page

    def focused(self) -> dict:
        control = self.page.evaluate(FOCUSED_CONTROL)
        assert control["indicated"], f"focus is not visible on {control['html']}"
        assert control["inView"], f"the focused control is off screen: {control['html']} {control['box']}"
        return control

    def check_tab_order(self):
        """From the top of a freshly loaded page, Tab through every control in document
        order, then Shift+Tab one step back."""
        count = self.page.evaluate(NUMBER_TAB_STOPS)
        visited = []
        for _ in range(count):
            self.page.keyboard.press("Tab")
            visited.append(self.focused()["stop"])
        assert visited == [str(i) for i in range(count)], f"Tab order on {self.page.url}: {visited}"
        if count > 1:
            self.page.keyboard.press("Shift+Tab")
            assert self.focused()["stop"] == str(count - 2)

    def tab_to(self, control):
        """Tab forwards, or Shift+Tab backwards, until `control` has the focus."""
        target = int(control.get_attribute("data-tab-stop"))
        for _ in range(200):
            here = self.focused()["stop"]
            if here == str(target):
                return
            self.page.keyboard.press("Tab" if here is None or int(here) < target else "Shift+Tab")
        raise AssertionError(f"the keyboard never reached {control}")

    def activate(self, control, key="Enter", *, navigates=True):
        self.tab_to(control)
        if not navigates:
            self.page.keyboard.press(key)
            return
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def type_into(self, control, text):
        self.tab_to(control)
        self.page.keyboard.type(text)

    def arrive(self, audit):
        """A new page has loaded: check it with axe-core and walk its tab order."""
        audit.check()
        self.check_tab_order()


def answer_with_keys(page, keys, t, planned):
    if planned.skip:
        keys.activate(page.get_by_role("button", name=t("I skip")))
        return
    radios = page.locator("input[type=radio]")
    if radios.count():
        keys.tab_to(radios.first)  # the group's one tab stop; the arrows choose within it
        page.keyboard.press("Space")
        wanted = page.locator(f"#option-{planned.option_ids[0]}")
        for _ in range(radios.count()):
            if wanted.is_checked():
                break
            page.keyboard.press("ArrowDown")
        expect(wanted).to_be_checked()
    else:
        for option_id in planned.option_ids:
            keys.activate(page.locator(f"#option-{option_id}"), key="Space", navigates=False)
            expect(page.locator(f"#option-{option_id}")).to_be_checked()
    for field_id, value in planned.field_values.items():
        keys.type_into(page.locator(f"#field-{field_id}"), value)
    keys.activate(page.get_by_role("button", name=t("Submit my answer")))


def test_learner_journey_with_the_keyboard_only(page, audit, texts_in, answer_plan, signup_link_path):
    t = texts_in("fr")
    keys = KeyboardUser(page)
    page.goto("/")
    keys.arrive(audit)
    keys.activate(page.get_by_role("navigation").get_by_role("link", name=t("Sign up")))

    keys.arrive(audit)
    keys.type_into(page.get_by_label(t("Full name")), "Camille Martin")
    keys.type_into(page.get_by_label(t("Email address")), "camille-keyboard@example.org")
    keys.type_into(page.get_by_label(t("Password")), "a-long-enough-passphrase-42")
    keys.tab_to(page.get_by_role("button", name=t("Create my account")))
    keys.activate(
        page.get_by_label(t("I accept the terms of use and the personal data policy")), key="Space", navigates=False
    )
    keys.activate(page.get_by_role("button", name=t("Create my account")))

    keys.arrive(audit)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your mailbox"))
    page.goto(signup_link_path("camille-keyboard@example.org"))  # the mailed link
    keys.arrive(audit)
    keys.activate(page.get_by_role("button", name=t("Create my account")))

    keys.arrive(audit)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Competences"))
    card = page.locator("li.card", has=page.get_by_role("heading", name=re.compile(r"^1\.1 ")))
    keys.activate(card.get_by_role("button", name=t("Start")))

    plan = answer_plan("fr")
    while "/result/" not in page.url:
        assert plan.skipped + plan.answered < 20, "the test never ends"
        keys.arrive(audit)
        ready = page.get_by_role("button", name=t("I am ready: show the question"))
        if ready.count():  # a timed question is announced first
            keys.activate(ready)
            keys.arrive(audit)
        planned = plan.answer_for(page.locator("input[name=challenge_id]").input_value(), page.url)
        answer_with_keys(page, keys, t, planned)

    keys.arrive(audit)
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Your result"))
    suggested = page.get_by_role("region", name=t("Tutorials for you")).locator("li.tutorial-card").first
    title = suggested.get_by_role("heading").inner_text()
    keys.activate(suggested.get_by_role("button", name=t("Save")), key="Space")

    keys.arrive(audit)
    expect(page.get_by_role("status")).to_contain_text(t("Tutorial saved in \u201cMy tutorials\u201d."))
    keys.activate(page.get_by_role("navigation").get_by_role("link", name=t("My tutorials")))

    keys.arrive(audit)
    keys.activate(page.get_by_role("link", name=title))

    keys.arrive(audit)
    keys.activate(page.get_by_role("button", name=t("Useful"), exact=True), key="Space")

    keys.arrive(audit)
    expect(page.get_by_role("button", name=t("Useful"), exact=True)).to_have_attribute("aria-pressed", "true")
    keys.activate(page.get_by_role("navigation").get_by_role("link", name=t("My profile")))

    keys.arrive(audit)
    expect(page.get_by_role("heading", level=1)).to_have_text(t("My profile"))
    expect(page.get_by_role("img", name=t("Pix per competence"))).to_be_visible()
