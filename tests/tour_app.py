"""A tiny app for AppTest (and a manual look): the Guided tours page over the graph that
GRAPH_DB_PATH points at. `GRAPH_DB_PATH=... streamlit run tests/tour_app.py`"""

import streamlit as st

from graph.backend import connect
from views.tour import render

st.set_page_config(page_title="Guided tours", layout="wide")
backend = connect()
try:
    render(backend)
finally:
    backend.close()
