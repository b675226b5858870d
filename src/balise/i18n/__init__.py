"""Languages and the display of translated text, shared by every app.

It sits below the apps (accounts, content, evaluation, learning, api) and above nothing of
Balise: `site/` is the shell that assembles the apps and imports them, never the reverse.
It holds the choice of a text from a {language: text} map, the remembered language, the
template filters that render such maps (and their Markdown, made safe), and the catalogues.
"""
