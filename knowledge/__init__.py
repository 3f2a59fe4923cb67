"""Skincare domain knowledge shared by contexts: ingredients (INCI), concerns, product taxonomy. Pure data + functions."""
