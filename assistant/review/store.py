"""Opening the store (SQLite by default, any SQLAlchemy URL), migrations applied on open; keys and fingerprints."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ..document.loaders import display_name
from ..errors import InputError

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD = "0002"


def database_url(db: str) -> str:
    """`--db`: a SQLAlchemy URL (postgresql+psycopg://…, sqlite:///…) or a file path for SQLite."""
    if "://" in db:
        try:
            make_url(db)
        except ArgumentError:
            raise InputError(f"数据库地址无效：{db}") from None
        return db
    path = Path(db)
    if path.is_dir():
        raise InputError(f"数据库位置 {display_name(path)} 是一个目录，请给出文件名")
    if not path.parent.is_dir():
        raise InputError(f"数据库文件所在的目录不存在：{display_name(path.parent)}")
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=60000")  # a second reviewer's write waits instead of failing
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == HEAD:
            return
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # two processes opening a new store migrate one after the other
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(73013)")
        elif engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    def __init__(self, db: str):
        url = database_url(db)
        kwargs = {"connect_args": {"timeout": 60}} if url.startswith("sqlite") else {}
        try:
            self.engine = create_engine(url, **kwargs)
        except (ArgumentError, ImportError, SQLAlchemyError):
            raise InputError(f"无法打开数据库：{db}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        try:
            _migrate(self.engine)
        except SQLAlchemyError as exc:
            self.engine.dispose()
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
            shown = self.engine.url.render_as_string(hide_password=True)
            raise InputError(f"无法打开数据库 {shown}（{detail[0] if detail else '连接失败'}）") from None
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessions()

    def files(self) -> set[Path]:
        """The SQLite store's own files, never imported when they lie in an imported folder."""
        database = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not database:
            return set()
        path = Path(database).resolve()
        return {path} | {path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")}

    def tables(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def close(self) -> None:
        self.engine.dispose()


_SUFFIXES = (("人民政府", "政府"), ("办公室", "办"))


def agency_key(agency: str) -> str:
    """The agency name normalised for pairing: width, spaces, punctuation and long/short forms folded."""
    key = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", agency or ""))
    for long, short in _SUFFIXES:
        key = key.replace(long, short)
    return key


def _normalise_message(message: str) -> str:
    """Whitespace and punctuation dropped, numbers kept (a decimal point between digits stays)."""
    text = unicodedata.normalize("NFKC", message)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return re.sub(r"(?!(?<=\d)\.(?=\d))[\W_]+", "", text)


def fingerprint(rule: str, location: dict, message: str, occurrence: int = 0) -> str:
    """A finding's identity across re-checks and corrected versions: rule, location and wording."""
    key = json.dumps([rule, location, _normalise_message(message), occurrence], ensure_ascii=False,
                     sort_keys=True)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
