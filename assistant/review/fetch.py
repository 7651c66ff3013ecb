"""`review import URL`: a published report page, a PDF/DOCX attachment, or a column page (栏目页) whose link
texts name annual reports, followed one level on the same site, politely and within the input budget."""
from __future__ import annotations

import re
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import urldefrag, urljoin, urlsplit

from ..document import Source
from ..document.loaders import html_text
from ..errors import InputError
from ..limits import budget, too_large

DELAY = 1.0  # seconds between two requests to one site
TIMEOUT = 15.0
MAX_LINKS = 50  # report links followed from one column page
USER_AGENT = "nianbao-assistant (government information disclosure annual report review)"
_REPORT_TEXT = re.compile(r"(?:政府信息公开|政务公开|信息公开).{0,20}(?:年度)?报告|年度报告")
_ATTACHMENT = re.compile(r"\.(?:pdf|docx)$", re.I)
_PARTS = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议", "存在的主要问题",
          "其他需要报告的事项")

Item = tuple[str, Source | None, str | None]


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", text, re.I))


class Fetcher:
    """One client without cookies; a pause between requests to the same site."""

    def __init__(self, delay: float | None = None):
        import httpx

        self.delay = DELAY if delay is None else delay
        self.last: dict[str, float] = {}
        self.client = httpx.Client(timeout=httpx.Timeout(TIMEOUT, connect=min(TIMEOUT, 10.0)),
                                   follow_redirects=True, max_redirects=5, headers={"User-Agent": USER_AGENT},
                                   cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))

    def close(self) -> None:
        self.client.close()

    def get(self, url: str) -> tuple[bytes, str]:
        """The body (at most the byte budget) and its content type; InputError with a Chinese reason."""
        import httpx

        site = urlsplit(url).netloc
        wait = self.last.get(site, 0.0) + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        limit = budget().max_bytes
        try:
            with self.client.stream("GET", url) as response:
                if urlsplit(str(response.url)).netloc != site:
                    raise InputError(f"{url} 跳转到了其他网站，未下载")
                if response.status_code >= 400:
                    raise InputError(f"无法下载 {url}：服务器返回 {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise InputError(too_large(int(declared), limit))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > limit:
                        raise InputError(too_large(len(body), limit))
                return bytes(body), response.headers.get("content-type", "")
        except httpx.TimeoutException:
            raise InputError(f"下载超时：{url}") from None
        except httpx.ConnectError:
            raise InputError(f"无法连接网站：{url}") from None
        except httpx.TooManyRedirects:
            raise InputError(f"无法下载 {url}：跳转次数过多") from None
        except httpx.HTTPError:
            raise InputError(f"无法下载 {url}：网络错误") from None
        finally:
            self.last[site] = time.monotonic()


def _html(data: bytes, content_type: str) -> bool:
    head = data[:2048].lower()
    return "html" in content_type.lower() or b"<html" in head or b"<!doctype html" in head


def _with_charset(data: bytes, content_type: str) -> bytes:
    """A page whose charset only the HTTP header names (GBK sites do this) gets it as a meta tag,
    so the HTML loader decodes it the same way."""
    declared = re.search(r"charset\s*=\s*([A-Za-z0-9_.:-]+)", content_type)
    if declared and not re.search(rb"<meta[^>]{0,200}?charset", data[:4096], re.I):
        return f'<meta charset="{declared.group(1)}">'.encode("ascii") + data
    return data


def _page(data: bytes, url: str):
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fromstring(html_text(data, budget()))
    except (etree.ParserError, ValueError, InputError):
        return None, ""
    return root, " ".join(root.text_content().split())


def _links(root, url: str, page_names_report: bool) -> list[str]:
    """Same-site links whose text names an annual report, and attachments of a page about one."""
    site = urlsplit(url).netloc
    found: list[str] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        target = urldefrag(urljoin(url, href))[0]
        if urlsplit(target).scheme not in ("http", "https") or urlsplit(target).netloc != site:
            continue
        text = " ".join(anchor.text_content().split())
        attachment = bool(_ATTACHMENT.search(urlsplit(target).path))
        if (_REPORT_TEXT.search(text) or attachment and page_names_report) and target not in found and target != url:
            found.append(target)
    return found[:MAX_LINKS]


def _report_page(text: str) -> bool:
    return sum(part in text for part in _PARTS) >= 3


def fetch(urls: list[str], delay: float | None = None) -> list[Item]:
    """Every report found at these URLs: (name, source, reason it could not be fetched)."""
    fetcher = Fetcher(delay)
    items: list[Item] = []
    try:
        for url in urls:
            items += _visit(fetcher, url, depth=1)
    finally:
        fetcher.close()
    return items


def _visit(fetcher: Fetcher, url: str, depth: int) -> list[Item]:
    try:
        data, content_type = fetcher.get(url)
    except InputError as exc:
        return [(url, None, exc.message)]
    if not _html(data, content_type):
        return [(url, Source("bytes", data, url), None)]  # a PDF or DOCX; the loader tells by content
    data = _with_charset(data, content_type)
    root, text = _page(data, url)
    if root is None or _report_page(text):
        return [(url, Source("bytes", data, url), None)]
    missing = [(url, None, "网页中没有找到政府信息公开工作年度报告或其链接")]
    if depth < 0:  # an "attachment" that is another page: no further
        return missing
    title = " ".join((root.findtext(".//title") or "").split())
    links = _links(root, url, bool(_REPORT_TEXT.search(title)))
    if depth > 0 and links:  # a column page: each linked report, one level down
        items: list[Item] = []
        for link in links:
            items += _visit(fetcher, link, depth - 1)
        return items
    attachments = [link for link in links if _ATTACHMENT.search(urlsplit(link).path)]
    if attachments:  # a report's page that only links its PDF or DOCX
        return _visit(fetcher, attachments[0], -1)
    return missing
