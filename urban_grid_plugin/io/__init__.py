"""Reading and writing project data: vector inputs and the project GeoPackage."""
