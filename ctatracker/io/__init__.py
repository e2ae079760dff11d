"""Files in and out: the IEA importer (`iea`, `iea_read`, `iea_map`), the EDGAR importer (`edgar`, `edgar_read`,
`edgar_map`), table exports, the open-data package, IATI XML and the seed export."""
