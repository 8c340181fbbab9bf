-- Issue #9 §3: the frequency cap's ledger (one row per notification that reached a recipient on a
-- capped channel; services/preferences/caps.ts) and digest rules on templates.
CREATE TABLE `cap_ledger` (
	`site_id` text NOT NULL,
	`recipient` text NOT NULL,
	`notification_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `recipient`, `notification_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `cap_ledger_recipient_at_idx` ON `cap_ledger` (`site_id`,`recipient`,`at`);--> statement-breakpoint
CREATE INDEX `cap_ledger_at_idx` ON `cap_ledger` (`at`);--> statement-breakpoint
ALTER TABLE `templates` ADD `digest` text;