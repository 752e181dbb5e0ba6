"""NN Lab home: what the labs are and where to start. Imports nothing heavy (no TensorFlow)."""

import streamlit as st

from nnlab.ui import setup_page, t
from nnlab.ui.home import labs_section, lesson_cards, lessons_table

setup_page("app_title")
st.title(t("app_title"))
st.write(t("home_tagline"))

st.header(t("home_lessons"))
st.caption(t("pages_home_lessons_text"))
lesson_cards()
with st.expander(t("pages_home_lessons_map")):
    st.dataframe(lessons_table(), hide_index=True, width="stretch")

st.header(t("home_labs"))
labs_section()

st.header(t("home_how"))
st.markdown(t("pages_home_how_text"))
