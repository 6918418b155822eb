"""The browser test's parts: JupyterLab in Chromium (:mod:`.lab`), the notebooks as a learner
sees them (:mod:`.notebooks`), the static book (:mod:`.book`). ``python -m bncourse.tools.browser_test`` runs them."""
