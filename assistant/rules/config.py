"""Rule configuration: defaults from default_config.toml, overridden by [rules.ID] in assistant.toml."""
from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from pathlib import Path

from .. import config
from ..errors import InputError

DEFAULTS_FILE = Path(__file__).with_name("default_config.toml")


@lru_cache(maxsize=1)
def defaults() -> dict[str, dict]:
    with open(DEFAULTS_FILE, "rb") as handle:
        return tomllib.load(handle)


@cache
def rule_config(rule_id: str) -> dict:
    given = config.section("rules").get(rule_id, {})
    if not isinstance(given, dict):
        raise InputError(f"配置文件中 [rules.{rule_id}] 应当是一个表")
    return config.overrides(defaults().get(rule_id, {}), given, f"rules.{rule_id}")


def check_overrides(known: set[str]) -> None:
    """Refuse [rules.X] sections for rules that do not exist (a typo would silently do nothing)."""
    unknown = sorted(set(config.section("rules")) - known)
    if unknown:
        raise InputError(f"配置文件中 [rules] 下有不存在的规则：{'、'.join(unknown)}")
