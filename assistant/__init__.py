"""年报合规助手: an offline checker and assistant for 政府信息公开工作年度报告."""

__version__ = "0.1.0"
