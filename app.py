"""NN Lab home: what the labs are and where to start. Imports nothing heavy (no TensorFlow)."""

import streamlit as st

from nnlab.ui import setup_page, t
from nnlab.ui.home import lessons_table

setup_page("app_title")
st.title(t("app_title"))
st.write(t("home_tagline"))

st.header(t("home_labs"))
st.markdown(t("home_playground"))
st.page_link("pages/1_Playground.py", label=t("home_open_playground"), icon="▶️")
st.markdown(t("home_map"))
st.page_link("pages/2_World_map.py", label=t("home_open_map"), icon="🗺️")
st.markdown(t("home_digits"))
st.page_link("pages/3_Digits.py", label=t("home_open_digits"), icon="✍️")
st.markdown(t("home_optimizers"))
st.page_link("pages/4_Optimizers.py", label=t("home_open_optimizers"), icon="🏁")
st.markdown(t("home_losses"))
st.page_link("pages/5_Losses_and_backprop.py", label=t("home_open_losses"), icon="🧮")
st.markdown(t("home_generalization"))
st.page_link("pages/6_Generalization.py", label=t("home_open_generalization"), icon="🎯")

st.header(t("home_how"))
st.markdown(t("home_how_text"))

st.header(t("home_lessons"))
st.dataframe(lessons_table(), hide_index=True, width="stretch")
