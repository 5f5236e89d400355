"""Test support shared by several test folders (a throwaway PostgreSQL cluster, ...)."""
