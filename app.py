"""tip-graph explorer: `streamlit run app.py`.

Thin on purpose: open the backend (building the embedded graph from data/ on a first run),
register the pages in views/, and run the one the URL names. All logic lives in graph/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from views import setup

HERE = Path(__file__).resolve().parent

# No Material icons on pages: the browser fetches them as favicons from fonts.gstatic.com,
# which fails offline; an emoji favicon becomes an inline SVG.
st.set_page_config(page_title="tip-graph explorer", page_icon="🕸️", layout="wide")

backend = setup.ready_backend()  # shows what went wrong and stops when the graph is unreachable

PAGES = {
    "overview": st.Page("views/overview.py", title="Overview", default=True),
    "recommendations": st.Page("views/recommendations.py", title="Recommendations",
                               url_path="recommendations"),
    "frameworks": st.Page("views/frameworks.py", title="Frameworks", url_path="frameworks"),
    "paths": st.Page("views/paths.py", title="Paths", url_path="paths"),
    "bodies": st.Page("views/bodies.py", title="Bodies and events", url_path="bodies"),
    "workbench": st.Page("views/workbench.py", title="Workbench", url_path="workbench"),
}
# Pages other parts of the project provide, shown when they are there.
if (HERE / "views" / "tour.py").is_file():
    PAGES["tour"] = st.Page("views/tour.py", title="Guided tours", url_path="tour")
if (HERE / "views" / "insights.py").is_file():
    PAGES["insights"] = st.Page(setup.insights_page, title="Insights", url_path="insights")

page = st.navigation(list(PAGES.values()))
setup.follow_page_param(page, PAGES)  # /?page=paths&from=...: open that page (shareable links)
setup.sidebar(backend)
page.run()
