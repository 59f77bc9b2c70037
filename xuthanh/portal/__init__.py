"""The public tourism portal: server-rendered, multilingual pages over the published catalogue."""
