"""Is a question about the 条例 and the annual report at all? Signals that do not need retrieval.

- `anchored`: the question names the subject itself (政府信息/信息公开/依申请/年报/表三/第五部分…).
- `other_law`: the question is about another law or regulation (《档案法》, 某某条例, 民法典…),
  which this assistant does not know; naming the 条例 itself or its fee rules does not count.
"""
from __future__ import annotations

import re
import unicodedata

_SUBJECT = (r"政府信息|信息公开|政务公开|依申请|主动公开|不予公开|部分公开|予以公开|公开申请|申请公开|公开指南|公开目录"
            r"|年报|年度报告|表[一二三四234]|第[一二三四五六1-6]部分|总体情况|信息处理费|补正|第三方|答复期限")
_ANCHOR = re.compile(_SUBJECT + r"|(?<![a-z])[stcnp]\d{3}\b|第[一二三四五六七八九十\d]+条|条例")
# what still ties a question to the subject when it also names another law (第三十条 may be that law's)
_STRONG_ANCHOR = re.compile(_SUBJECT)

_NOT_LAW_TAIL = frozenset(
    "依法 合法 违法 非法 执法 司法 立法 守法 普法 办法 方法 做法 写法 算法 说法 想法 看法 用法 填法 计法 手法 "
    "语法 书法 加法 减法 无法 设法 没法 取法 技法 章法 玩法 打法 记法 读法 叫法 改法 查法 报法".split())
_OWN_LAW = re.compile(r"政府信息公开|信息公开条例|信息处理费|年度报告格式")
# words that may stand right before 条例 without naming another regulation (适用条例, 新版条例)
_BEFORE_OWN = frozenset(
    "适用 按照 依照 根据 依据 对照 违反 执行 落实 贯彻 学习 实施 施行 修订 修改 现行 新版 旧版 最新 这部 整部 "
    "那部 引用 参照 符合 出台 颁布 新 旧 本 该 这个 那个 我们 你们 还是 就是 也是 都是 交代 属于 对应 违背 提到 "
    "规定 写进 写入 纳入 适应 遵守 遵照 按 依 整个 咱们 两部 这条 那条 新修订 修订后 现在 目前".split())
_BOOK = re.compile(r"《([^》]{2,30})》")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def anchored(question: str) -> bool:
    """The question names the subject itself (names of other laws do not count: 信访条例)."""
    text = _norm(question)
    for name in filter(None, (other_law(text), other_regime(text))):
        text = text.replace(name, "")
    return bool(_ANCHOR.search(text))


_REGIME = re.compile(r"([党村厂校检警院财事商])务公开|(企业|公司|个体工商户|工商|统计|财务|税务|社保|公积金)年报")
_GENERATION = re.compile(r"写(一|几)?(首|篇|段|份|封)|作(一)?首|(讲|说)(一)?个(笑话|故事)|翻译|润色|续写|改写|缩写|扩写"
                         r"|(诗|歌词|对联|小说|作文|演讲稿|致辞|祝福语|心得体会)")


def other_regime(question: str) -> str | None:
    """Another disclosure regime (党务公开, 村务公开, 厂务公开 …) or another kind of annual report
    (企业年报, 统计年报 …): not 政务公开 and not the 政府信息公开工作年度报告."""
    match = _REGIME.search(_norm(question))
    return match.group(0) if match else None


def generation_request(question: str) -> bool:
    """A request to write, translate or entertain rather than a question (写一首诗, 讲个笑话)."""
    return bool(_GENERATION.search(_norm(question)))


def foreign_subject(question: str) -> str | None:
    """Why a question is outside the assistant's subject, or None: another law, another disclosure
    regime, or a writing request, when the question does not also name the subject itself."""
    reason = None
    law = other_law(question)
    if law:
        reason = f"《{law}》"
    elif other_regime(question):
        reason = other_regime(question)
    elif generation_request(question):
        reason = "写作或翻译请求"
    if not reason:
        return None
    if generation_request(question):
        return reason
    regime = other_regime(question)
    if law:
        tied = _STRONG_ANCHOR.search(_norm(question).replace(law, ""))
    elif regime:
        tied = _STRONG_ANCHOR.search(_norm(question).replace(regime, ""))
    else:
        tied = anchored(question)
    return None if tied else reason


def other_law(question: str) -> str | None:
    """The name of another law or regulation the question is about, or None."""
    text = _norm(question)
    for name in _BOOK.findall(text):
        if not _OWN_LAW.search(name) and name not in ("条例", "年度报告格式"):
            return name
    from ..nlp.text import _jieba

    tokens = _jieba().lcut(text)
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i > 0 else ""
        if token.endswith(("法", "法典")) and len(token) >= 3:
            if token[-2:] not in _NOT_LAW_TAIL and not _OWN_LAW.search(token):
                return token
        elif token in ("法", "法典") and len(before) >= 2 and _CJK.match(before) and before + token not in _NOT_LAW_TAIL:
            return before + token
        elif token.endswith("条例") and not _OWN_LAW.search(token):
            if len(token) > 2:
                return token
            name = before
            if before in ("公开", "管理") and i > 1:  # 党务公开条例, 物业管理条例
                name = tokens[i - 2] + before
            if len(name) >= 2 and _CJK.match(name) and name not in _BEFORE_OWN and not _OWN_LAW.search(name + token) \
                    and "信息公开" not in name:
                return name + token
    for match in re.finditer(r"法(?:规定|中规定|里规定|对)", text):  # 统计法规定…, which jieba cuts as 统计/法规/定
        head = _jieba().lcut(text[:match.start()])
        if head and len(head[-1]) >= 2 and _CJK.match(head[-1]) and head[-1][-1:] + "法" not in _NOT_LAW_TAIL \
                and not head[-1].endswith(("行政", "法律")):
            return head[-1] + "法"
    return None
