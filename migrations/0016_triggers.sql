-- Issue #10 §6: inbound webhook triggers (URL token hashed, signing secret sealed, the payload's
-- mapping into a message), their call log, and the signatures seen in the replay window.
CREATE TABLE `triggers` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`token_hint` text NOT NULL,
	`mode` text NOT NULL,
	`secret_enc` text NOT NULL,
	`secret_hint` text NOT NULL,
	`mapping` text NOT NULL,
	`rate_per_minute` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `triggers_token_uq` ON `triggers` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `triggers_site_idx` ON `triggers` (`site_id`,`id`);
--> statement-breakpoint
CREATE TABLE `trigger_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`trigger_id` text NOT NULL,
	`site_id` text NOT NULL,
	`at` integer NOT NULL,
	`status` integer NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`field` text,
	`message_id` text,
	`rendered` text,
	FOREIGN KEY (`trigger_id`) REFERENCES `triggers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `trigger_calls_trigger_idx` ON `trigger_calls` (`trigger_id`,`at`);
--> statement-breakpoint
CREATE TABLE `trigger_signatures` (
	`trigger_id` text NOT NULL,
	`signature` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`trigger_id`, `signature`),
	FOREIGN KEY (`trigger_id`) REFERENCES `triggers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `trigger_signatures_at_idx` ON `trigger_signatures` (`at`);
