DROP TABLE reveals;
DROP TABLE matches;
DROP TABLE requests;
DROP TABLE offers;
DROP TABLE api_tokens;
DROP TABLE accounts;
