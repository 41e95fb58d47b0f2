"""The compute host side: the one place driver calls happen (see manager.py)."""
