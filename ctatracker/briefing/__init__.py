"""Briefing packs: the events they are for, key messages and their sentences, the pack's data (`pack`), the deck
and its slides, the Word brief (`note`), and the chart export with its checks."""
