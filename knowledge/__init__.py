"""Skincare knowledge shared by contexts: ingredients (INCI), concerns, product taxonomy; pure data and functions."""
