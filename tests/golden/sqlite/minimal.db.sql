BEGIN TRANSACTION;
CREATE TABLE "actors" (
  "id" TEXT NOT NULL,
  "type" TEXT NOT NULL CHECK ("type" = 'person' OR "type" = 'organisation'),
  "name" TEXT NOT NULL,
  "kind" TEXT CHECK ("kind" = 'state' OR "kind" = 'region' OR "kind" = 'intergovernmental-organisation' OR "kind" = 'legislative-chamber' OR "kind" = 'committee' OR "kind" = 'ministry' OR "kind" = 'government-body' OR "kind" = 'party' OR "kind" = 'party-organ' OR "kind" = 'media' OR "kind" = 'think-tank' OR "kind" = 'publisher'),
  "parent" TEXT,
  "description" TEXT,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("parent") REFERENCES "actors" ("id")
);
INSERT INTO "actors" VALUES('anna-orlova','person','Anna Orlova',NULL,NULL,NULL);
INSERT INTO "actors" VALUES('duma','organisation','Duma','legislative-chamber',NULL,NULL);
INSERT INTO "actors" VALUES('ivan-petrov','person','Ivan Petrov',NULL,NULL,NULL);
CREATE TABLE "aliases" (
  "actor" TEXT NOT NULL,
  "item" INTEGER NOT NULL,
  "name" TEXT NOT NULL,
  "misspelling" INTEGER NOT NULL CHECK ("misspelling" IN (0, 1)),
  "corrected" TEXT,
  "note" TEXT,
  PRIMARY KEY ("actor", "item"),
  FOREIGN KEY ("actor") REFERENCES "actors" ("id")
);
INSERT INTO "aliases" VALUES('anna-orlova',0,'Anna Orlova',0,NULL,NULL);
INSERT INTO "aliases" VALUES('duma',0,'Duma',0,NULL,NULL);
INSERT INTO "aliases" VALUES('ivan-petrov',0,'Ivan Petrov',0,NULL,NULL);
CREATE TABLE "anchors" (
  "collection" TEXT NOT NULL CHECK ("collection" = 'actors' OR "collection" = 'documents' OR "collection" = 'proposals' OR "collection" = 'statements'),
  "record" TEXT NOT NULL,
  "field" TEXT NOT NULL CHECK ("field" = 'anchors' OR "field" = 'footnotes' OR "field" = 'positions' OR "field" = 'quotes'),
  "item" INTEGER NOT NULL,
  "document" TEXT NOT NULL,
  "start" INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  "exact" TEXT NOT NULL,
  "prefix" TEXT NOT NULL,
  "suffix" TEXT NOT NULL,
  PRIMARY KEY ("collection", "record", "field", "item"),
  FOREIGN KEY ("document") REFERENCES "documents" ("id")
);
INSERT INTO "anchors" VALUES('actors','anna-orlova','anchors',0,'doc-1',79,90,'Anna Orlova',' said: "Leavers must pay more." ',', a deputy of the Duma, replied ');
INSERT INTO "anchors" VALUES('actors','anna-orlova','positions',0,'doc-1',92,112,'a deputy of the Duma','rs must pay more." Anna Orlova, ',', replied that this was unfair.[');
INSERT INTO "anchors" VALUES('actors','duma','anchors',0,'doc-1',108,112,'Duma','." Anna Orlova, a deputy of the ',', replied that this was unfair.[');
INSERT INTO "anchors" VALUES('actors','ivan-petrov','anchors',0,'doc-1',36,47,'Ivan Petrov','mal Dispatch No. 1

The Senator ',' said: "Leavers must pay more." ');
INSERT INTO "anchors" VALUES('actors','ivan-petrov','positions',0,'doc-1',28,35,'Senator','Minimal Dispatch No. 1

The ',' Ivan Petrov said: "Leavers must');
INSERT INTO "anchors" VALUES('documents','doc-1','anchors',0,'doc-1',0,22,'Minimal Dispatch No. 1','','

The Senator Ivan Petrov said: ');
INSERT INTO "anchors" VALUES('documents','doc-1','footnotes',1,'doc-1',148,167,'[1], March 3, 2023.','plied that this was unfair.[1]

','
');
INSERT INTO "anchors" VALUES('proposals','higher-tax','anchors',0,'doc-1',55,77,'Leavers must pay more.','
The Senator Ivan Petrov said: "','" Anna Orlova, a deputy of the D');
INSERT INTO "anchors" VALUES('statements','orlova-unfair','anchors',0,'doc-1',114,143,'replied that this was unfair.','a Orlova, a deputy of the Duma, ','[1]

[1], March 3, 2023.
');
INSERT INTO "anchors" VALUES('statements','petrov-pay-more','anchors',0,'doc-1',24,78,'The Senator Ivan Petrov said: "Leavers must pay more."','Minimal Dispatch No. 1

',' Anna Orlova, a deputy of the Du');
INSERT INTO "anchors" VALUES('statements','petrov-pay-more','quotes',0,'doc-1',55,77,'Leavers must pay more.','
The Senator Ivan Petrov said: "','" Anna Orlova, a deputy of the D');
CREATE TABLE "documents" (
  "id" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "publisher" TEXT NOT NULL,
  "series" TEXT NOT NULL,
  "number" TEXT NOT NULL,
  "published" TEXT NOT NULL,
  "language" TEXT NOT NULL,
  "sha256" TEXT NOT NULL,
  "length" INTEGER NOT NULL,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("publisher") REFERENCES "actors" ("id")
);
INSERT INTO "documents" VALUES('doc-1','Minimal Dispatch No. 1','duma','Minimal Dispatch','1','2023-03-04','en','9743f7e91418144ac6c366eb6dc3b37f89ea946fd12cd0a39400f8c4c2846790',168);
CREATE TABLE "errata" (
  "statement" TEXT NOT NULL,
  "item" INTEGER NOT NULL,
  "printed" TEXT NOT NULL,
  "corrected" TEXT NOT NULL,
  "note" TEXT NOT NULL,
  PRIMARY KEY ("statement", "item"),
  FOREIGN KEY ("statement") REFERENCES "statements" ("id")
);
CREATE TABLE "footnote_dates" (
  "document" TEXT NOT NULL,
  "footnote" INTEGER NOT NULL,
  "item" INTEGER NOT NULL,
  "printed" TEXT NOT NULL,
  "date" TEXT NOT NULL,
  "effective" TEXT NOT NULL,
  "corrected" TEXT,
  "correction_note" TEXT,
  "footnote_id" TEXT NOT NULL,
  PRIMARY KEY ("document", "footnote", "item"),
  FOREIGN KEY ("document", "footnote") REFERENCES "footnotes" ("document", "number"),
  FOREIGN KEY ("footnote_id") REFERENCES "footnotes" ("id")
);
INSERT INTO "footnote_dates" VALUES('doc-1',1,0,'March 3, 2023','2023-03-03','2023-03-03',NULL,NULL,'doc-1:1');
CREATE TABLE "footnotes" (
  "document" TEXT NOT NULL,
  "number" INTEGER NOT NULL,
  "printed" TEXT NOT NULL,
  "id" TEXT NOT NULL,
  PRIMARY KEY ("id"),
  UNIQUE ("document", "number"),
  FOREIGN KEY ("document") REFERENCES "documents" ("id")
);
INSERT INTO "footnotes" VALUES('doc-1',1,'[1], March 3, 2023.','doc-1:1');
CREATE TABLE "metadata" (
  "key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  PRIMARY KEY ("key")
);
INSERT INTO "metadata" VALUES('citation','dispatchdata tests. A minimal dataset for tests (Version 1.0.0+unreleased.500650d4) [Data set]. License CC0-1.0.');
INSERT INTO "metadata" VALUES('creators','dispatchdata tests');
INSERT INTO "metadata" VALUES('description','Two actors, one proposal, two statements.');
INSERT INTO "metadata" VALUES('keywords','test');
INSERT INTO "metadata" VALUES('license','CC0-1.0');
INSERT INTO "metadata" VALUES('name','minimal');
INSERT INTO "metadata" VALUES('schema_sha256','b9136f6721d430b851a83aaafb1a6cd5cec66a677aca02b69551568e9b7265a7');
INSERT INTO "metadata" VALUES('title','A minimal dataset for tests');
INSERT INTO "metadata" VALUES('version','1.0.0+unreleased.500650d4');
CREATE TABLE "positions" (
  "actor" TEXT NOT NULL,
  "item" INTEGER NOT NULL,
  "title" TEXT NOT NULL,
  "organisation" TEXT,
  "represents" TEXT,
  "former" INTEGER NOT NULL CHECK ("former" IN (0, 1)),
  PRIMARY KEY ("actor", "item"),
  FOREIGN KEY ("actor") REFERENCES "actors" ("id"),
  FOREIGN KEY ("organisation") REFERENCES "actors" ("id"),
  FOREIGN KEY ("represents") REFERENCES "actors" ("id")
);
INSERT INTO "positions" VALUES('anna-orlova',0,'deputy','duma',NULL,0);
INSERT INTO "positions" VALUES('ivan-petrov',0,'Senator',NULL,NULL,0);
CREATE TABLE "proposals" (
  "id" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "description" TEXT NOT NULL,
  "category" TEXT NOT NULL CHECK ("category" = 'taxation' OR "category" = 'benefits' OR "category" = 'designation' OR "category" = 'emergency-law' OR "category" = 'property' OR "category" = 'travel-documents' OR "category" = 'citizenship' OR "category" = 'entry-restriction' OR "category" = 'criminal-law' OR "category" = 'persuasion' OR "category" = 'political-accountability'),
  "status" TEXT NOT NULL CHECK ("status" = 'announced' OR "status" = 'deferred' OR "status" = 'floated' OR "status" = 'proposed' OR "status" = 'advocated' OR "status" = 'rebutted' OR "status" = 'disavowed'),
  "status_note" TEXT,
  PRIMARY KEY ("id")
);
INSERT INTO "proposals" VALUES('higher-tax','Higher tax','Leavers pay more tax.','taxation','proposed',NULL);
CREATE TABLE "proposers" (
  "proposal" TEXT NOT NULL,
  "item" INTEGER NOT NULL,
  "actor" TEXT NOT NULL,
  PRIMARY KEY ("proposal", "item"),
  FOREIGN KEY ("proposal") REFERENCES "proposals" ("id"),
  FOREIGN KEY ("actor") REFERENCES "actors" ("id")
);
INSERT INTO "proposers" VALUES('higher-tax',0,'ivan-petrov');
CREATE TABLE "responses" (
  "statement" TEXT NOT NULL,
  "responds_to" TEXT NOT NULL,
  PRIMARY KEY ("statement", "responds_to"),
  FOREIGN KEY ("statement") REFERENCES "statements" ("id"),
  FOREIGN KEY ("responds_to") REFERENCES "statements" ("id")
);
INSERT INTO "responses" VALUES('orlova-unfair','petrov-pay-more');
CREATE TABLE "stances" (
  "statement" TEXT NOT NULL,
  "item" INTEGER NOT NULL,
  "proposal" TEXT NOT NULL,
  "stance" TEXT NOT NULL CHECK ("stance" = 'supports' OR "stance" = 'opposes' OR "stance" = 'mixed' OR "stance" = 'neutral'),
  "holder" TEXT,
  "note" TEXT,
  PRIMARY KEY ("statement", "item"),
  FOREIGN KEY ("statement") REFERENCES "statements" ("id"),
  FOREIGN KEY ("proposal") REFERENCES "proposals" ("id"),
  FOREIGN KEY ("holder") REFERENCES "actors" ("id")
);
INSERT INTO "stances" VALUES('orlova-unfair',0,'higher-tax','opposes',NULL,NULL);
INSERT INTO "stances" VALUES('petrov-pay-more',0,'higher-tax','supports',NULL,NULL);
CREATE TABLE "statement_footnotes" (
  "statement" TEXT NOT NULL,
  "footnote" INTEGER NOT NULL,
  "document" TEXT NOT NULL,
  "footnote_id" TEXT NOT NULL,
  PRIMARY KEY ("statement", "footnote"),
  FOREIGN KEY ("statement") REFERENCES "statements" ("id"),
  FOREIGN KEY ("document", "footnote") REFERENCES "footnotes" ("document", "number"),
  FOREIGN KEY ("footnote_id") REFERENCES "footnotes" ("id")
);
INSERT INTO "statement_footnotes" VALUES('orlova-unfair',1,'doc-1','doc-1:1');
INSERT INTO "statement_footnotes" VALUES('petrov-pay-more',1,'doc-1','doc-1:1');
CREATE TABLE "statements" (
  "id" TEXT NOT NULL,
  "document" TEXT NOT NULL,
  "speaker" TEXT NOT NULL,
  "kind" TEXT NOT NULL CHECK ("kind" = 'direct-quote' OR "kind" = 'partial-quote' OR "kind" = 'paraphrase' OR "kind" = 'editorial'),
  "summary" TEXT NOT NULL,
  "verb" TEXT,
  "date" TEXT,
  "medium" TEXT CHECK ("medium" = 'telegram-channel' OR "medium" = 'web-poll' OR "medium" = 'interview' OR "medium" = 'column' OR "medium" = 'written-response'),
  "note" TEXT,
  "quotes" TEXT NOT NULL,
  PRIMARY KEY ("id"),
  FOREIGN KEY ("document") REFERENCES "documents" ("id"),
  FOREIGN KEY ("speaker") REFERENCES "actors" ("id")
);
INSERT INTO "statements" VALUES('orlova-unfair','doc-1','anna-orlova','paraphrase','Orlova replied that the tax would be unfair.',NULL,NULL,NULL,NULL,'');
INSERT INTO "statements" VALUES('petrov-pay-more','doc-1','ivan-petrov','direct-quote','Petrov said leavers must pay more.',NULL,NULL,NULL,NULL,'Leavers must pay more.');
PRAGMA writable_schema=ON;
INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql)VALUES('table','statements_fts','statements_fts',0,'CREATE VIRTUAL TABLE statements_fts USING fts5(summary, quotes, content="statements")');
INSERT INTO "statements_fts" VALUES('Orlova replied that the tax would be unfair.','');
INSERT INTO "statements_fts" VALUES('Petrov said leavers must pay more.','Leavers must pay more.');
CREATE TABLE 'statements_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO "statements_fts_config" VALUES('version',4);
CREATE TABLE 'statements_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO "statements_fts_data" VALUES(1,X'020E04');
INSERT INTO "statements_fts_data" VALUES(10,X'000000000101010001010101');
INSERT INTO "statements_fts_data" VALUES(137438953473,X'000000910330626501020801076C65617665727302080401010201046D6F7265020807010105020375737402080501010301066F726C6F7661010202010370617902080601010402056574726F7602020201077265706C696564010203010473616964020203010374617801020602036861740102040301650102050106756E666169720102090105776F756C6401020704070F0C0B0B0B0A0C090808060B');
CREATE TABLE 'statements_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
INSERT INTO "statements_fts_docsize" VALUES(1,X'0800');
INSERT INTO "statements_fts_docsize" VALUES(2,X'0604');
CREATE TABLE 'statements_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
INSERT INTO "statements_fts_idx" VALUES(1,X'',2);
CREATE TABLE "targets" (
  "statement" TEXT NOT NULL,
  "actor" TEXT NOT NULL,
  PRIMARY KEY ("statement", "actor"),
  FOREIGN KEY ("statement") REFERENCES "statements" ("id"),
  FOREIGN KEY ("actor") REFERENCES "actors" ("id")
);
INSERT INTO "targets" VALUES('orlova-unfair','ivan-petrov');
CREATE INDEX "documents_publisher" ON "documents" ("publisher");
CREATE INDEX "footnotes_document" ON "footnotes" ("document");
CREATE INDEX "footnote_dates_document_footnote" ON "footnote_dates" ("document", "footnote");
CREATE INDEX "footnote_dates_footnote_id" ON "footnote_dates" ("footnote_id");
CREATE INDEX "actors_parent" ON "actors" ("parent");
CREATE INDEX "aliases_actor" ON "aliases" ("actor");
CREATE INDEX "positions_actor" ON "positions" ("actor");
CREATE INDEX "positions_organisation" ON "positions" ("organisation");
CREATE INDEX "positions_represents" ON "positions" ("represents");
CREATE INDEX "proposers_proposal" ON "proposers" ("proposal");
CREATE INDEX "proposers_actor" ON "proposers" ("actor");
CREATE INDEX "statements_document" ON "statements" ("document");
CREATE INDEX "statements_speaker" ON "statements" ("speaker");
CREATE INDEX "statement_footnotes_statement" ON "statement_footnotes" ("statement");
CREATE INDEX "statement_footnotes_document_footnote" ON "statement_footnotes" ("document", "footnote");
CREATE INDEX "statement_footnotes_footnote_id" ON "statement_footnotes" ("footnote_id");
CREATE INDEX "stances_statement" ON "stances" ("statement");
CREATE INDEX "stances_proposal" ON "stances" ("proposal");
CREATE INDEX "stances_holder" ON "stances" ("holder");
CREATE INDEX "responses_statement" ON "responses" ("statement");
CREATE INDEX "responses_responds_to" ON "responses" ("responds_to");
CREATE INDEX "targets_statement" ON "targets" ("statement");
CREATE INDEX "targets_actor" ON "targets" ("actor");
CREATE INDEX "errata_statement" ON "errata" ("statement");
CREATE INDEX "anchors_document" ON "anchors" ("document");
CREATE VIEW "statements_with_speakers" AS SELECT s.id, s.document, s.speaker, a.name AS speaker_name, s.kind, s.summary, s.verb,
               s.date, s.medium
        FROM statements AS s JOIN actors AS a ON a.id = s.speaker;
CREATE VIEW "stance_matrix" AS SELECT coalesce(t.holder, s.speaker) AS actor, a.name AS actor_name, t.proposal,
               p.title AS proposal_title,
               group_concat(DISTINCT t.stance) AS stances,
               CAST(count(t.statement) AS INTEGER) AS statement_count,
               group_concat(s.id, ' ') AS statements,
               group_concat(CASE WHEN t.holder <> s.speaker THEN s.id END, ' ') AS reported
        FROM stances AS t
        JOIN statements AS s ON s.id = t.statement
        JOIN actors AS a ON a.id = coalesce(t.holder, s.speaker)
        JOIN proposals AS p ON p.id = t.proposal
        GROUP BY coalesce(t.holder, s.speaker), t.proposal
        ORDER BY coalesce(t.holder, s.speaker), t.proposal;
PRAGMA writable_schema=OFF;
COMMIT;
