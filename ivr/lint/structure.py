"""Structure (G): every role names a node, every way leads somewhere, every node is reached.

These run first: the other families walk the graph, which only makes sense once it holds.
"""

from __future__ import annotations

from collections.abc import Iterator

from ivr.errors import Problem
from ivr.lint.walk import did_you_mean, every_option, problem
from ivr.script import GO, MENU, REQUIRED_ROLES, STEPS, TEXT_ME, Script


def missing_roles(s: Script) -> Iterator[Problem]:
    for role in REQUIRED_ROLES:
        if role not in s.roles:
            yield problem(
                s,
                "G001",
                s.line_of.get("roles"),
                None,
                f"The script has no '{role}' role.",
                f"Under roles:, add '{role}: <node id>' naming the node that plays it.",
            )


def roles_name_nodes(s: Script) -> Iterator[Problem]:
    for role, node_id in s.roles.items():
        if node_id not in s.nodes:
            yield problem(
                s,
                "G002",
                s.line_of.get("roles"),
                None,
                f"The role '{role}' names '{node_id}', which is not a node.",
                did_you_mean(s, node_id),
            )


def main_is_a_menu(s: Script) -> Iterator[Problem]:
    main = s.roles.get("main")
    if main in s.nodes and s.nodes[main].kind != MENU:
        yield problem(
            s,
            "G003",
            s.nodes[main].line,
            main,
            "The main role names a steps node, but the main menu must offer choices.",
            "Name a menu node under roles: main, or give this node options: instead of steps:.",
        )


def targets_exist(s: Script) -> Iterator[Problem]:
    placed = [(None, f"Global option {i}", o) for i, o in enumerate(s.globals, 1)]
    for node in s.nodes.values():
        placed += [(node.id, f"Option {i}", o) for i, o in enumerate(every_option(node), 1)]
    for node_id, what, option in placed:
        if option.action in (GO, TEXT_ME) and option.target not in s.nodes:
            yield problem(
                s,
                "G004",
                option.line,
                node_id,
                f"{what} goes to '{option.target}', which is not a node in this script.",
                did_you_mean(s, option.target),
            )
    for node in s.nodes.values():
        if node.next is not None and node.next not in s.nodes:
            yield problem(
                s,
                "G004",
                node.line,
                node.id,
                f"Its next: goes to '{node.next}', which is not a node in this script.",
                did_you_mean(s, node.next),
            )


def ways_on(s: Script) -> Iterator[Problem]:
    for node in s.nodes.values():
        if node.kind == MENU and not node.options:
            yield problem(
                s,
                "G005",
                node.line,
                node.id,
                "This menu has no options of its own, so it is a dead end.",
                "Give it at least one option that leads on.",
            )
        if node.kind == STEPS and node.next is None:
            yield problem(
                s,
                "G005",
                node.line,
                node.id,
                "This steps node has no way on after its last step.",
                "Add next: <node id>, usually the main menu.",
            )


def reachable(s: Script) -> Iterator[Problem]:
    seen = _reached_from(s, s.roles["main"])
    for node_id, node in s.nodes.items():
        if node_id not in seen:
            yield problem(
                s,
                "G006",
                node.line,
                node_id,
                "Nothing leads to this node, so nobody can reach it.",
                "Add an option that goes to it, or remove it.",
            )


def _reached_from(s: Script, start: str) -> set[str]:
    everywhere = [o.target for o in s.globals if o.action == GO]
    seen, todo = {start}, [start]
    while todo:
        node = s.nodes[todo.pop()]
        leads = [o.target for o in every_option(node) if o.action in (GO, TEXT_ME)]
        leads += everywhere
        leads += [node.next] if node.next else []
        for target in leads:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# The graph must hold before anything walks it: these run first, and alone if they fail.
GRAPH = (missing_roles, roles_name_nodes, main_is_a_menu, targets_exist)
CHECKS = (ways_on, reachable)
