"""The Streamlit app: ``pages/`` (one script per page) and ``state.py`` (cached loaders).

Only this package imports streamlit; ``app.py`` beside it is the entry point.
"""
