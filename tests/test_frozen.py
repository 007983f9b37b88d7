"""quick_init: the same frozen value as the dataclass makes, only quicker to build; and
every class it cannot serve is refused when it is declared. Also a Choice's hash, worked
out once: the dataclass's own, and made anew wherever a pickled choice is read."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import os
import pickle
import subprocess
import sys
from dataclasses import InitVar, dataclass, field

import pytest

from ivr.engine.state import Choice, Reply, State
from ivr.errors import Problem
from ivr.frozen import quick_init

from support import ROOT

pytestmark = pytest.mark.domain


@dataclass(frozen=True, slots=True)
class Plain:
    name: str
    count: int = 1
    tags: tuple = ()
    code: str = field(default="X", kw_only=True)
    where: str = field(kw_only=True, default="here")


@quick_init
@dataclass(frozen=True, slots=True)
class Quick:
    name: str
    count: int = 1
    tags: tuple = ()
    code: str = field(default="X", kw_only=True)
    where: str = field(kw_only=True, default="here")


def _fields(value) -> tuple:
    return tuple(getattr(value, f.name) for f in dataclasses.fields(value))


def test_the_parameters_are_the_dataclasses_own():
    assert str(inspect.signature(Quick)) == str(inspect.signature(Plain))
    assert Quick.__init__.__qualname__ == "Quick.__init__"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("a",), {}), (("a", 2, ("t",)), {"code": "Y"}), (("a",), {"where": "there", "count": 5})],
)
def test_a_value_holds_what_the_dataclass_would_hold(args, kwargs):
    quick, plain = Quick(*args, **kwargs), Plain(*args, **kwargs)
    assert _fields(quick) == _fields(plain)
    assert repr(quick) == repr(plain).replace("Plain(", "Quick(")
    assert quick == Quick(*args, **kwargs) and hash(quick) == hash(Quick(*args, **kwargs))
    assert quick != Quick("other")


@pytest.mark.parametrize(
    ("args", "kwargs", "words"),
    [
        ((), {}, "missing 1 required positional argument: 'name'"),
        (("a", 1, (), "Y"), {}, "takes from 2 to 4 positional arguments but 5 were given"),
        (("a",), {"colour": 1}, "unexpected keyword argument 'colour'"),
        (("a",), {"name": "b"}, "got multiple values for argument 'name'"),
    ],
)
def test_wrong_arguments_are_refused_as_the_dataclass_refuses_them(args, kwargs, words):
    for cls in (Quick, Plain):
        with pytest.raises(TypeError, match=words):
            cls(*args, **kwargs)


def test_a_value_stays_frozen_and_is_replaced_copied_and_pickled_whole():
    value = Quick("a", 2, code="Y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.count = 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        del value.name
    assert dataclasses.replace(value, count=3) == Quick("a", 3, code="Y")
    assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(value)) == value


def test_the_engines_values_are_made_quick_and_still_equal_by_value():
    for cls in (State, Reply, Problem):
        assert cls.__init__.__code__.co_filename == "<string>"
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    state = State("voice", "s", "n", 2)
    assert state == State("voice", "s", "n", 2, 0, "", 0)
    empty = Reply(state, ("Hello.",), (), False, None, None, None, False)
    assert Reply(state, ("Hello.",)) == empty
    problem = Problem("f.yaml", 3, None, "Wrong.", code="G001")
    assert (problem.fix, problem.severity, problem.code) == ("", "error", "G001")


def _refused(make, words: str) -> None:
    with pytest.raises(TypeError, match=words):
        make()


def test_classes_it_cannot_serve_are_refused_when_declared():
    @dataclass(slots=True)
    class Thawed:
        name: str

    @dataclass(frozen=True)
    class Unslotted:
        name: str

    @dataclass(frozen=True, slots=True)
    class Checked:
        name: str

        def __post_init__(self):
            pass

    @dataclass(frozen=True, slots=True)
    class Made:
        items: tuple = field(default_factory=tuple)

    @dataclass(frozen=True, slots=True)
    class Hidden:
        name: str
        size: int = field(default=0, init=False)

    @dataclass(frozen=True, slots=True)
    class Passed:
        name: str
        extra: InitVar[int] = 0

    _refused(lambda: quick_init(Thawed), "for frozen, slotted dataclasses")
    _refused(lambda: quick_init(Unslotted), "for frozen, slotted dataclasses")
    _refused(lambda: quick_init(Checked), "has a __post_init__")
    _refused(lambda: quick_init(Made), r"stores arguments only, not \['items'\]")
    _refused(lambda: quick_init(Hidden), r"stores arguments only, not \['size'\]")
    _refused(lambda: quick_init(Passed), r"stores arguments only, not \['extra'\]")


def test_a_choice_keeps_its_hash_and_a_pickle_from_elsewhere_hashes_here():
    fields = ("go", "danger", "9", "DANGER", "in danger now", ("danger", "unsafe"), True)
    choice = Choice(*fields)
    assert hash(choice) == hash((*fields, False))  # what the dataclass would hash
    assert repr(choice).endswith("always=True, main_only=False)")  # the cached hash unshown
    assert dataclasses.replace(choice, key="8") == Choice(*fields[:2], "8", *fields[3:])
    assert hash(dataclasses.replace(choice, key="8")) == hash(Choice(*fields[:2], "8", *fields[3:]))
    # Pickled by another process, whose string hashes differ from this one's.
    made = subprocess.run(
        [sys.executable, "-c", "import pickle, sys; from ivr.engine.state import Choice; "
         f"sys.stdout.buffer.write(pickle.dumps(Choice(*{fields!r})))"],
        cwd=ROOT, capture_output=True, timeout=60, check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )  # fmt: skip
    again = pickle.loads(made.stdout)
    assert again == choice and hash(again) == hash(choice)
    assert {choice: "found"}[again] == "found"
