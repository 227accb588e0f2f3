"""The plugin's widgets: the UrbanGrid dock panel, the candidate review window, QgsTask glue."""
