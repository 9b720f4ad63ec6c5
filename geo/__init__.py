"""Geography of Kirkuk governorate: official boundaries, the gazetteer and the spatial join."""
