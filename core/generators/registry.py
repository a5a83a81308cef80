"""The one registry of generators: adding one is one new module plus one line in ``BUILTIN``.

``uploaded`` imports a synthetic file made elsewhere (``core.runs.import_run``) instead of fitting.
"""

from __future__ import annotations

from core.errors import UserInputError
from core.generators.base import Generator
from core.generators.copulagan import CopulaGAN
from core.generators.ctgan import CTGAN
from core.generators.gaussian_copula import GaussianCopula
from core.generators.tvae import TVAE
from core.generators.uploaded import Uploaded

BUILTIN: tuple[Generator, ...] = (
    GaussianCopula(),
    CTGAN(),
    TVAE(),
    CopulaGAN(),
    Uploaded(),
)

MSG_UNKNOWN_GENERATOR = "There is no generator '{key}'. Choose one of: {valid}."


def _index(gens: tuple[Generator, ...]) -> dict[str, Generator]:
    out: dict[str, Generator] = {}
    for g in gens:
        if g.key in out:
            raise ValueError(
                f"Duplicate generator key {g.key!r}: each generator needs its own key."
            )
        out[g.key] = g
    return out


REGISTRY: dict[str, Generator] = _index(BUILTIN)


def get_generator(key: str) -> Generator:
    """The registered generator ``key``; a clear error listing the valid keys otherwise."""
    try:
        return REGISTRY[key]
    except KeyError:
        raise UserInputError(
            MSG_UNKNOWN_GENERATOR.format(key=key, valid=", ".join(REGISTRY))
        ) from None


def fitting_generators() -> tuple[Generator, ...]:
    """The generators that fit a model (every one but ``uploaded``)."""
    return tuple(g for g in BUILTIN if not getattr(g, "imports", False))
