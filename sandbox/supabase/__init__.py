"""The Supabase Management API v1 as the sandbox serves it (reads of projects, and the read-only SQL)."""

from sandbox.supabase.vendor import SupabaseVendor

VENDOR = SupabaseVendor()
