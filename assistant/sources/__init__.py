"""Sources users add to the corpus: Factbook profiles, files and URLs."""
