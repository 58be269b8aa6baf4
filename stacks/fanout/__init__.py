"""From compiled checks to each vendor's resources (used by the MonitoringStack component)."""
