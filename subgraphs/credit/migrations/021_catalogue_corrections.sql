-- A catalogue version may correct the one in force when a measure was published in error
-- (publishMeasureCatalogue input `corrects`): it may then punish less than that version, never
-- less than the version before it (policy/catalogue.ts). The column says which version it corrected.
ALTER TABLE catalogue_version ADD COLUMN corrects integer REFERENCES catalogue_version (version);
