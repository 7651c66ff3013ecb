"""Topics of 总体情况 and the schemes that map them to the aspects a report must cover."""
from __future__ import annotations

TOPICS = ("组织领导", "宣传培训", "主动公开", "依申请公开", "政府信息管理", "平台建设", "监督考核")

# aspect of a scheme -> the fine topics that cover it (shared/CONTRACT.md)
SCHEMES = {
    "format2021": {"主动公开": ("主动公开",), "依申请公开": ("依申请公开",), "政府信息管理": ("政府信息管理",),
                   "平台建设": ("平台建设",), "监督保障": ("组织领导", "宣传培训", "监督考核")},
    "seed4": {"组织领导": ("组织领导",), "宣传教育": ("宣传培训",),
              "制度落实与公开": ("主动公开", "依申请公开", "政府信息管理", "平台建设"), "监督检查": ("监督考核",)},
}

ADVICE = {
    "主动公开": "写明本年主动公开政府信息的数量和渠道、重点领域信息公开、政策文件与解读的发布情况（第十九条至第二十六条）。",
    "依申请公开": "写明收到和办理政府信息公开申请的数量、办理结果、答复时效和规范化措施（第二十七条至第四十五条）。",
    "政府信息管理": "写明规范性文件清理、公开属性认定、公开前保密审查、政府信息动态调整和指南目录更新等情况（第十七条、第十八条）。",
    "平台建设": "写明政府网站、政府信息公开专栏、政务新媒体、公开查阅点等平台的建设和运维情况（第二十三条至第二十五条）。",
    "监督保障": "写明组织领导、培训、考核、社会评议和责任追究等监督保障措施及其结果（第四十六条至第四十八条）。",
    "组织领导": "写明政务公开工作机构、负责人、分工和工作部署（第四条）。",
    "宣传教育": "写明开展的培训、学习和宣传活动及其场次、人数（第四十八条）。",
    "制度落实与公开": "写明主动公开、依申请公开、信息管理和平台建设的制度落实情况及数据。",
    "监督检查": "写明监督检查、考核评议、责任追究的开展情况和结果（第四十六条、第四十七条）。",
}


def coverage(topic_sets: list[set[str]], scheme: str) -> tuple[list[str], list[str]]:
    """(covered, missing) aspects of a scheme given the topics found in 总体情况."""
    found = set().union(*topic_sets) if topic_sets else set()
    covered, missing = [], []
    for aspect, topics in SCHEMES[scheme].items():
        (covered if found & set(topics) else missing).append(aspect)
    return covered, missing
