"""The Gradio chat app (ui.py is the entry point): rendering, assets and the Blocks layout."""
