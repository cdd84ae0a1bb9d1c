"""The careers AI work: résumé feedback, rewrites, mock interviews and study guides, behind one provider port."""
