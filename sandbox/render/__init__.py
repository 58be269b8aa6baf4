"""Render public REST API emulator, served under ``/render/v1``."""

from sandbox.render.vendor import RenderVendor

VENDOR = RenderVendor()
