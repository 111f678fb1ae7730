DROP INDEX reveals_once_per_party;
