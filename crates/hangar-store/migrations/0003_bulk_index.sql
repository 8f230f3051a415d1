-- Schema 3: ingest indexes each batch's new rows in one statement (INSERT … SELECT), which is
-- an order of magnitude faster than a per-row trigger. Deletes keep their trigger.
DROP TRIGGER events_fts_insert;
