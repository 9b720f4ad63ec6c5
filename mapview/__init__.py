"""Folium maps of incidents, built by pure functions; no Streamlit here."""
