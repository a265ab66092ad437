"""The BI tool: dashboard definitions kept in the repository (deploy/metabase/dashboards/) and their provisioning
into Metabase through its REST API."""
