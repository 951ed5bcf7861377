"""Structured logging: JSON lines under `LEH_DATA_DIR/logs`, one rotated file per process.

Log records carry ids (evidence, case, request), codes and counts — never evidence text or PII.
`leh ops logs` reads these files back.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from datetime import UTC, datetime
from pathlib import Path

from leh.config import Settings

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
LOG_MAX_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str):
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, object] = {"at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "process": self.process_name,
               "pid": record.process, "msg": record.getMessage()}
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            # Exception type and place only: messages of parser errors can quote file contents.
            etype, _exc, tb = record.exc_info
            frames = []
            while tb is not None:
                frames.append(f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}")
                tb = tb.tb_next
            out["exc_type"] = etype.__name__ if etype else None
            out["exc_where"] = " > ".join(frames[-5:])
        return json.dumps(out, ensure_ascii=False)


def log_dir(settings: Settings) -> Path:
    return settings.data_dir / "logs"


def setup_logging(settings: Settings, process_name: str, *, console: bool = True) -> None:
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.setLevel(settings.log_level.upper())
    path = log_dir(settings)
    path.mkdir(parents=True, exist_ok=True)
    fmt = JsonFormatter(process_name)
    fh = logging.handlers.RotatingFileHandler(path / f"{process_name}.log", maxBytes=LOG_MAX_BYTES,
                                              backupCount=LOG_BACKUPS, encoding="utf-8")
    fh.setFormatter(fmt)
    root.addHandler(fh)
    if console and os.environ.get("LEH_LOG_CONSOLE", "1") != "0":
        sh = logging.StreamHandler()
        sh.setFormatter(fmt)
        sh.setLevel(logging.WARNING)
        root.addHandler(sh)
    for noisy in ("uvicorn.access", "botocore", "urllib3", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
