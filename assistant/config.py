"""Where the project's data lives and the user's configuration (assistant.toml).

The data (corpus/ and models/) sits beside the package in a checkout; `pip install .` copies it to
`<prefix>/share/nianbao` (found from where the package was installed); ASSISTANT_HOME points elsewhere.
"""
from __future__ import annotations

import os
import sys
import tomllib
from functools import lru_cache
from pathlib import Path

from .errors import InputError

_CHECKOUT = Path(__file__).resolve().parents[1]


def _data_root() -> Path:
    if os.environ.get("ASSISTANT_HOME"):
        return Path(os.environ["ASSISTANT_HOME"])
    if (_CHECKOUT / "models").is_dir():
        return _CHECKOUT
    for prefix in _CHECKOUT.parents:  # <prefix>/lib/python3.X/site-packages/assistant
        if (prefix / "share" / "nianbao" / "models").is_dir():
            return prefix / "share" / "nianbao"
    return Path(sys.prefix) / "share" / "nianbao"


ROOT = _data_root()
CONFIG_FILE = Path(os.environ.get("ASSISTANT_CONFIG", ROOT / "assistant.toml"))


@lru_cache(maxsize=1)
def load() -> dict:
    """The whole of assistant.toml ({} when there is none)."""
    if not CONFIG_FILE.is_file():
        return {}
    try:
        with open(CONFIG_FILE, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"配置文件 {CONFIG_FILE} 无法读取：{exc}") from None


def section(name: str) -> dict:
    value = load().get(name, {})
    if not isinstance(value, dict):
        raise InputError(f"配置文件 {CONFIG_FILE} 中的 [{name}] 应当是一个表")
    return value


def overrides(defaults: dict, given: dict, where: str) -> dict:
    """`defaults` updated by `given`, refusing unknown keys and values of another type."""
    merged = dict(defaults)
    for key, value in given.items():
        if key not in defaults:
            raise InputError(f"配置文件中 [{where}] 没有 {key} 这一项（可用：{'、'.join(defaults)}）")
        default = defaults[key]
        number = isinstance(default, (int, float)) and not isinstance(default, bool)
        if number and not (isinstance(value, (int, float)) and not isinstance(value, bool)):
            raise InputError(f"配置文件中 [{where}] {key} 应当是数字")
        if not number and type(value) is not type(default):
            raise InputError(f"配置文件中 [{where}] {key} 的类型不对")
        merged[key] = type(default)(value) if number else value
    return merged
