"""NN Lab home: what the labs are and where to start. Imports nothing heavy (no TensorFlow)."""

import streamlit as st

from nnlab.ui import setup_page, t
from nnlab.ui.home import LABS, lesson_cards, lessons_table
from nnlab.ui.setup import page_link

setup_page("app_title")
st.title(t("app_title"))
st.write(t("home_tagline"))

st.header(t("home_lessons"))
st.caption(t("home_lessons_text"))
lesson_cards()
with st.expander(t("home_lessons_map")):
    st.dataframe(lessons_table(), hide_index=True, width="stretch")

st.header(t("home_labs"))
for page, text_key, link_key, icon in LABS:
    st.markdown(t(text_key))
    page_link(page, label=t(link_key), icon=icon)  # carries ?lang=

st.header(t("home_how"))
st.markdown(t("home_how_text"))
