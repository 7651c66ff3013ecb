"""The web app (Gradio): a thin shell over the checker, the renderers and question answering.

- `service`: the calls into the assistant that the app makes (check, ask, uploads, batch rows)
- `present`: findings, draft, coverage and table identities as Markdown/HTML/table rows
- `chat`: the conversation logic (questions, pasted drafts, follow-ups about a draft)
- `views`: the Gradio Blocks
"""
