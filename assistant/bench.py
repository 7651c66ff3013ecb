"""Benchmarks that print numbers: parse time per report and per format."""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from .config import ROOT
from .document import read_bytes_document
from .document.loaders import FORMATS
from .errors import InputError

DEFAULT_CORPUS = ROOT / "corpus" / "reports"


def report_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for entry in map(Path, paths or [str(DEFAULT_CORPUS)]):
        if entry.is_dir():
            files.extend(sorted(p for p in entry.rglob("*") if p.suffix.lower() in FORMATS and p.is_file()))
        else:
            files.append(entry)
    return files


def run_bench(paths: list[str], repeat: int = 20) -> dict[str, float]:
    per_format: dict[str, list[float]] = {}
    print(f"{'文件':<48}{'格式':<6}{'中位耗时(ms)':>12}")
    for path in report_files(paths):
        data = path.read_bytes()
        timings = []
        for _ in range(max(1, repeat)):
            start = time.perf_counter()
            try:
                document = read_bytes_document(data, path.name)
            except InputError:
                document = None
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        fmt = document.fmt if document else path.suffix.lstrip(".")
        per_format.setdefault(fmt, []).append(median)
        print(f"{path.name:<48}{fmt:<6}{median:>12.2f}")
    print("\n格式    报告数  中位(ms)  最大(ms)")
    summary = {}
    for fmt, values in sorted(per_format.items()):
        summary[fmt] = statistics.median(values)
        print(f"{fmt:<8}{len(values):>6}{summary[fmt]:>10.2f}{max(values):>10.2f}")
    return summary


def _readable(path: Path) -> bool:
    try:
        read_bytes_document(path.read_bytes(), path.name)
    except InputError:
        return False  # e.g. the corpus README or the truncated sample: not reports to time
    return True


def replicate(paths: list[str], count: int, folder: Path) -> None:
    """`count` text reports in `folder`, the readable txt/md reports of `paths` in turn, each copy
    under an agency name of its own (样本17…), so that no two inputs are the same content."""
    from .document import read_document

    sources = [p for p in report_files(paths) if p.suffix.lower() in (".txt", ".md") and _readable(p)]
    sources = [(p, read_document(p).meta.agency) for p in sources]
    sources = [(p, agency) for p, agency in sources if agency]
    if not sources:
        raise InputError("没有可用于测试的 txt/md 报告")
    for i in range(count):
        path, agency = sources[i % len(sources)]
        text = path.read_text(encoding="utf-8").replace(agency, f"样本{i}{agency}")
        (folder / f"{i:05d}{path.suffix}").write_text(text, encoding="utf-8")


def run_check_bench(paths: list[str], count: int = 1000, nlp: bool = True) -> dict[int, dict[str, float]]:
    """Reports per second of a batch check over `count` text reports, with 1 and 2 processes:
    per second of wall time and per core (per second of processor time of all processes)."""
    import tempfile

    from .batch import run_batch
    from .checker import CheckOptions
    from .guard import shutdown

    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        replicate(paths, count, Path(tmp))
        for jobs in (1, 2):
            start, cpu = time.perf_counter(), _cpu_seconds()
            rows = run_batch([tmp], CheckOptions(nlp=nlp), jobs=jobs, progress=False)
            elapsed = time.perf_counter() - start
            shutdown()  # the workers are reaped, so their processor time is counted
            per_core = len(rows) / (_cpu_seconds() - cpu)
            rates[jobs] = {"per_second": len(rows) / elapsed, "per_core": per_core}
            failed = sum(1 for r in rows if r["error"])
            print(f"--jobs {jobs}: {len(rows)} 份报告（无法读取 {failed} 份），{elapsed:.2f} 秒，{rates[jobs]['per_second']:.0f} 份/秒；"
                  f"每核 {per_core:.0f} 份/秒（份数 ÷ 所有进程的处理器时间）")
    return rates


def _cpu_seconds() -> float:
    """Processor time of this process and of its finished children (user + system)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_review_bench(paths: list[str], count: int = 200, nlp: bool = True, jobs: int = 1) -> dict[str, float]:
    """`review import` of `count` replicated text reports (each a distinct agency, so nothing is a
    duplicate), `review list` over them, and a second import where everything is a duplicate."""
    import tempfile

    from .checker import CheckOptions
    from .review.importer import import_paths
    from .review.queries import overview, report_rows
    from .review.store import Store

    numbers = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        replicate(paths, count, folder)
        store = Store(str(Path(tmp) / "review.db"))
        try:
            start = time.perf_counter()
            outcome = import_paths(store, [str(folder)], jobs=jobs, progress=False, options=CheckOptions(nlp=nlp))
            elapsed = time.perf_counter() - start
            numbers["import_per_second"] = outcome.imported / elapsed
            print(f"review import（--jobs {jobs}）：{outcome.line()}，{elapsed:.2f} 秒，"
                  f"{numbers['import_per_second']:.1f} 份/秒")
            start = time.perf_counter()
            rows = report_rows(store)
            numbers["list_ms"] = (time.perf_counter() - start) * 1000
            print(f"review list：{len(rows)} 行，{numbers['list_ms']:.0f} 毫秒")
            start = time.perf_counter()
            overview(store)
            numbers["summary_ms"] = (time.perf_counter() - start) * 1000
            print(f"汇总（审核台的按规则、按机关、按层级统计）：{numbers['summary_ms']:.0f} 毫秒")
            start = time.perf_counter()
            again = import_paths(store, [str(folder)], jobs=jobs, progress=False, options=CheckOptions(nlp=nlp))
            numbers["reimport_seconds"] = time.perf_counter() - start
            print(f"再次导入（全部重复）：{again.line()}，{numbers['reimport_seconds']:.2f} 秒")
        finally:
            store.close()
    return numbers


_COLD_LOAD = ("import time; t = time.perf_counter(); from assistant.nlp.analysis import load_models; "
              "m = load_models(); m.classify(['全年主动公开政府信息1200条。']); print(time.perf_counter() - t)")


def run_nlp_bench(paths: list[str], repeat: int = 20) -> dict[str, float]:
    """Cold model loading (fresh interpreter) and topics + boilerplate per whole report."""
    import subprocess
    import sys

    from .nlp.analysis import load_models

    loads = [float(subprocess.run([sys.executable, "-c", _COLD_LOAD], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout.strip()) for _ in range(3)]
    print(f"模型加载（新进程，含导入）：中位 {statistics.median(loads):.2f} 秒")
    models = load_models()
    if models is None:
        raise InputError("模型尚未训练：请先运行 python -m assistant train")
    timings = []
    for path in report_files(paths):
        try:
            document = read_bytes_document(path.read_bytes(), path.name)
        except InputError:
            continue
        models.analyse(document)
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            models.analyse(document)
            runs.append((time.perf_counter() - start) * 1000)
        timings.append(statistics.median(runs))
    print(f"整份报告的主题与套话分析：{len(timings)} 份，中位 {statistics.median(timings):.1f} ms，最大 {max(timings):.1f} ms")
    return {"load_seconds": statistics.median(loads), "analyse_ms": statistics.median(timings)}


# Runs one command and prints its wall time and the peak memory of its whole process tree.
_MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
            "p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(p.returncode, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "(p.stderr.strip().splitlines() or [''])[-1][:60], sep='\\t')")


def run_hostile_bench() -> dict[str, tuple[float, float]]:
    """Seconds and peak MB of `check` on each hostile input of issue 10, then how fast the web app
    serves its page while three hostile /check calls run."""
    import subprocess
    import sys
    import tempfile

    from .hostile import CASES

    results = {}
    print(f"{'输入':<22}{'退出码':>6}{'耗时(秒)':>10}{'内存峰值(MB)':>14}  结果")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (file_name, make, _) in CASES.items():
            path = Path(tmp) / file_name
            make(path)
            out = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "assistant", "check",
                                  str(path), "--no-nlp"], cwd=ROOT, capture_output=True, text=True, check=True)
            code, seconds, kilobytes, said = out.stdout.rstrip("\n").split("\t")
            results[name] = (float(seconds), int(kilobytes) / 1024)
            print(f"{name:<22}{code:>6}{float(seconds):>10.2f}{int(kilobytes) / 1024:>14.0f}  {said}")
            path.unlink()
    worst = max(results.values())
    print(f"最长 {worst[0]:.2f} 秒；内存峰值最大 {max(m for _, m in results.values()):.0f} MB")
    results["page"] = (_page_while_hostile(), 0.0)
    return results


def _largest_trap() -> str:
    """The regular-expression trap repeated up to the budget: the costliest text /check still accepts."""
    from .limits import budget

    block = "青石县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n" + "1" * 40 + "x\n"
    repeats = min(budget().max_chars // len(block), budget().max_lines // 3) - 1
    return block * repeats


def _page_while_hostile() -> float:
    """Longest time to serve the page while three trap-laden /check calls run (python app.py on a free port)."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import tempfile
    import threading
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GRADIO_TEMP_DIR=tmp)
        server = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.time() + 90
            while True:
                try:
                    urllib.request.urlopen(url, timeout=2).read()
                    break
                except OSError:
                    if time.time() > deadline or server.poll() is not None:
                        raise InputError("网页版未能启动，无法测量") from None
                    time.sleep(0.2)
            from gradio_client import Client

            trap = _largest_trap()

            def hostile():
                try:
                    Client(url, verbose=False, ssl_verify=False).predict(trap, api_name="/check")
                except Exception:  # refused or answered, only the page matters here
                    pass

            threads = [threading.Thread(target=hostile) for _ in range(3)]
            for thread in threads:
                thread.start()
            timings = []
            while any(t.is_alive() for t in threads) or len(timings) < 5:
                start = time.perf_counter()
                urllib.request.urlopen(url, timeout=30).read()
                timings.append(time.perf_counter() - start)
                time.sleep(0.2)
            for thread in threads:
                thread.join()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"三个恶意 /check 进行中，网页加载 {len(timings)} 次：最长 {max(timings):.2f} 秒，"
          f"中位 {statistics.median(timings):.2f} 秒")
    return max(timings)


def _scan_tools():
    """The scanned-report renderer of the test support code (a source checkout has it)."""
    import sys

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        from tests.support.render import load_spec, parsed_tables
        from tests.support.scan import fonts_available, render_scan
    except ImportError:
        raise InputError("bench --ocr 需要在源码目录中运行（扫描件由 tests/support/scan.py 生成）") from None
    if not fonts_available():
        raise InputError("bench --ocr 需要 Noto CJK 字体（Debian 软件包 fonts-noto-cjk）来生成扫描件")
    return load_spec, parsed_tables, render_scan


def _vm(field: str) -> int:
    """A VmPeak/VmSize/VmHWM figure of this process in MB (0 where /proc is not available)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) // 1024 for line in status if line.startswith(field + ":"))
    except (OSError, StopIteration):
        return 0


def run_ocr_bench(paths: list[str], count: int = 4, dpis: tuple[int, ...] = (150, 200)) -> dict[int, dict]:
    """Seconds per A4 page and cell accuracy of OCR on corpus reports printed as scans (tests/support/
    scan.py: skew up to 1°, blur, noise), and how many wrong cells T207 flags."""
    import tempfile

    from .document import ocr
    from .document.reader import document_from_bytes
    from .document.tables import table_to_json
    from .limits import budget
    from .rules import run_rules

    load_spec, parsed_tables, render_scan = _scan_tools()
    specs = [Path(p) for p in paths] or sorted((ROOT / "corpus" / "reports" / "specs").glob("*.json"))
    specs = [p for p in specs if any(part.get("table") for part in load_spec(p)["parts"])][:count]
    start = time.perf_counter()
    ocr.engine()
    print(f"OCR 模型加载：{time.perf_counter() - start:.2f} 秒；地址空间 {_vm('VmSize')} MB")
    base = _vm("VmSize")
    summary = {}
    with tempfile.TemporaryDirectory() as folder:
        for dpi in dpis:
            pages = seconds = cpu = cells = wrong = flagged = doubts = 0
            print(f"\n{dpi} dpi\n{'报告':<34}{'页数':>4}{'秒/页':>8}{'单元格':>8}{'错误':>6}{'已标记':>8}{'T207':>6}")
            for n, spec_path in enumerate(specs):
                spec = load_spec(spec_path)
                scan = render_scan(spec, Path(folder) / f"{dpi}-{spec_path.stem}.pdf", dpi=dpi, seed=n)
                began, began_cpu = time.perf_counter(), time.process_time()
                document = document_from_bytes(scan.read_bytes(), scan.name, budget(), "auto")
                took = time.perf_counter() - began
                cpu += time.process_time() - began_cpu
                marks = {(f.location["table"], f.location["row"], f.location.get("column"))
                         for f in run_rules(document, select=["T207"])}
                bad = marked = total = 0
                for key, table in parsed_tables(spec).items():
                    read = table_to_json(document.tables.get(key)) or {}
                    for row, cols in (table or {}).items():
                        for col, value in cols.items():
                            total += 1
                            if (read.get(row) or {}).get(col) != value:
                                bad += 1
                                marked += (key, row, col) in marks or (key, row, None) in marks
                count_pages = document.ocr["pages"] if document.ocr else 0
                print(f"{spec_path.stem:<34}{count_pages:>4}{took / max(1, count_pages):>8.2f}{total:>8}{bad:>6}"
                      f"{marked:>8}{len(marks):>6}")
                pages, seconds, cells, wrong, flagged, doubts = (pages + count_pages, seconds + took, cells + total,
                                                                 wrong + bad, flagged + marked, doubts + len(marks))
            per_page = seconds / max(1, pages)
            accuracy = 1 - wrong / max(1, cells)
            summary[dpi] = {"seconds_per_page": per_page, "cpu_seconds_per_page": cpu / max(1, pages), "accuracy": accuracy, "wrong": wrong, "flagged": flagged}
            print(f"{dpi} dpi：{pages} 页，平均 {per_page:.2f} 秒/页（CPU {cpu / max(1, pages):.2f} 秒/页，"
                  f"{os.cpu_count()} 核；负载 {os.getloadavg()[0]:.1f}）；单元格 {cells} 个，正确率 {accuracy:.2%}，"
                  f"读错 {wrong} 个，其中 T207 标记 {flagged} 个；T207 共报告 {doubts} 处")
    print(f"\n内存：常驻峰值 {_vm('VmHWM')} MB；识别时地址空间峰值比模型加载后多 {max(0, _vm('VmPeak') - base)} MB"
          f"（预算 memory_mb + ocr_memory_mb = {budget().memory_mb + budget().ocr_memory_mb} MB）")
    return summary
