"""Each button menu of domain.yml is written out once; the other responses alias it.

A menu is written on the first response that shows it, with a YAML anchor
(``buttons: &start_menu``), and named by alias everywhere else (``buttons: *start_menu``);
see the comment at the top of domain.yml's responses. PyYAML's composer gives an alias the
very node of its anchor, so two distinct nodes holding the same buttons are a menu written
out twice, which is what these tests look for. Plain PyYAML, no Rasa import.
"""

import re
from collections import defaultdict
from typing import NamedTuple

import yaml

from coach.paths import ROOT

DOMAIN_FILE = ROOT / "domain.yml"
# Lists this long or longer are menus: one- and two-button lists (a way out of the form,
# "delete / keep") may be written out where they are needed.
MIN_BUTTONS = 3

Button = tuple[tuple[str, str], ...]


class ButtonList(NamedTuple):
    node: yaml.SequenceNode
    places: list[str]  # every place it is shown, the place it is written first


def _is_button(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode) and any(k.value == "payload" for k, _ in node.value)


def _button(node: yaml.MappingNode) -> Button:
    return tuple((key.value, value.value) for key, value in node.value)


def _buttons(node: yaml.SequenceNode) -> tuple[Button, ...]:
    return tuple(_button(item) for item in node.value)


def button_lists(text: str) -> list[ButtonList]:
    """Every list of buttons in the YAML text, once per node (an aliased list is one node)."""
    found: dict[int, ButtonList] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.SequenceNode):
            if node.value and all(_is_button(item) for item in node.value):
                found.setdefault(id(node), ButtonList(node, [])).places.append(path)
                return
            for index, item in enumerate(node.value):
                walk(item, f"{path}[{index}]")
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, f"{path}.{key.value}" if path else str(key.value))

    walk(yaml.compose(text, Loader=yaml.SafeLoader), "")
    return list(found.values())


def menus_written_twice(text: str) -> dict[tuple[Button, ...], list[str]]:
    """Menus of MIN_BUTTONS or more written out in more than one place: the places."""
    places = defaultdict(list)
    for button_list in button_lists(text):
        buttons = _buttons(button_list.node)
        if len(buttons) >= MIN_BUTTONS:
            places[buttons].append(button_list.places[0])
    return {buttons: where for buttons, where in places.items() if len(where) > 1}


def menus_written_inside_others(text: str) -> list[tuple[str, str]]:
    """(menu, longer list) where a menu of MIN_BUTTONS or more is written out again, button
    for button, inside a longer list (a menu plus one more button). Buttons aliased from the
    menu (``- *pause_button``) are not written out again."""
    lists = button_lists(text)
    written = []
    for menu in lists:
        size = len(menu.node.value)
        if size < MIN_BUTTONS:
            continue
        for longer in lists:
            items = longer.node.value
            if len(items) <= size:
                continue
            for start in range(len(items) - size + 1):
                part = items[start : start + size]
                same = all(
                    _button(a) == _button(b) for a, b in zip(part, menu.node.value, strict=True)
                )
                if same and any(a is not b for a, b in zip(part, menu.node.value, strict=True)):
                    written.append((menu.places[0], longer.places[0]))
    return written


def _titles(buttons: tuple[Button, ...]) -> list[str]:
    return [dict(button).get("title", "") for button in buttons]


def domain_text() -> str:
    return DOMAIN_FILE.read_text(encoding="utf-8")


def test_every_menu_is_written_out_once():
    twice = menus_written_twice(domain_text())
    assert not twice, "\n".join(
        f"menu {_titles(buttons)} is written out at {', '.join(places)}: anchor it where it "
        "is first shown (buttons: &name) and alias it at the others (buttons: *name)"
        for buttons, places in twice.items()
    )


def test_no_menu_is_written_out_again_inside_a_longer_list():
    inside = menus_written_inside_others(domain_text())
    assert not inside, "\n".join(
        f"the menu at {menu} is written out again inside {longer}: anchor its buttons "
        "(- &name) and alias them there (- *name), as utter_ask_lump_sum does with pause_button"
        for menu, longer in inside
    )


def test_every_anchored_menu_is_named_elsewhere_and_anchored_once():
    text = domain_text()
    anchors = re.findall(r"^\s*(?:buttons:|-) &([A-Za-z0-9_]+)", text, re.M)
    aliases = set(re.findall(r"^\s*(?:buttons:|-) \*([A-Za-z0-9_]+)", text, re.M))
    assert anchors, "domain.yml anchors no menu"
    assert len(anchors) == len(set(anchors)), f"an anchor name is used twice: {anchors}"
    assert set(anchors) <= aliases, f"anchored, never aliased: {set(anchors) - aliases}"
    assert aliases <= set(anchors), f"aliased, never anchored: {aliases - set(anchors)}"


def test_aliased_menus_parse_as_the_buttons_they_name():
    # The aliases are what Rasa sees: every response that names a menu gets its buttons.
    text = domain_text()
    responses = yaml.safe_load(text)["responses"]
    shown = {}
    for button_list in button_lists(text):
        for place in button_list.places:
            match = re.fullmatch(r"responses\.(\w+)\[(\d+)\]\.buttons", place)
            assert match, place
            name, index = match.group(1), int(match.group(2))
            shown[place] = responses[name][index]["buttons"]
        assert all(shown[p] == shown[button_list.places[0]] for p in button_list.places)
    assert len(shown) == sum(len(v.get("buttons") or []) > 0 for r in responses.values() for v in r)


SAMPLE = """
responses:
  utter_a:
    - text: a
      buttons: &menu
        - &one {title: one, payload: /one}
        - &two {title: two, payload: /two}
        - &three {title: three, payload: /three}
  utter_b:
    - text: b
      buttons: %s
"""
ONE, TWO, THREE = (f"{{title: {n}, payload: /{n}}}" for n in ("one", "two", "three"))
ZERO = "{title: zero, payload: /zero}"


def test_the_checks_see_a_menu_written_out_twice():
    assert not menus_written_twice(SAMPLE % "*menu")
    assert menus_written_twice(SAMPLE % f"[{ONE}, {TWO}, {THREE}]") == {
        (
            (("title", "one"), ("payload", "/one")),
            (("title", "two"), ("payload", "/two")),
            (("title", "three"), ("payload", "/three")),
        ): ["responses.utter_a[0].buttons", "responses.utter_b[0].buttons"]
    }
    assert not menus_written_inside_others(SAMPLE % f"[{ONE}, {TWO}, {THREE}]")


def test_the_checks_see_a_menu_written_out_inside_a_longer_list():
    both = [("responses.utter_a[0].buttons", "responses.utter_b[0].buttons")]
    assert menus_written_inside_others(SAMPLE % f"[{ZERO}, {ONE}, {TWO}, {THREE}]") == both
    assert menus_written_inside_others(SAMPLE % f"[{ZERO}, *one, {TWO}, *three]") == both
    assert not menus_written_inside_others(SAMPLE % f"[{ZERO}, *one, *two, *three]")
    assert not menus_written_inside_others(SAMPLE % f"[{ONE}, {TWO}, {ZERO}, {THREE}]")
    assert not menus_written_twice(SAMPLE % f"[{ZERO}, {ONE}, {TWO}, {THREE}]")
