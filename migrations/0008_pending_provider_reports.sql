-- Issue #8 §3: status callbacks that arrive before the sender recorded the delivery they are
-- about wait here until it does (services/sending/status.ts).
CREATE TABLE `pending_provider_reports` (
	`site_id` text NOT NULL,
	`channel` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`status` text NOT NULL,
	`provider_code` text,
	`address_unusable` integer DEFAULT false NOT NULL,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `channel`, `provider_message_id`)
);
--> statement-breakpoint
CREATE INDEX `pending_provider_reports_received_idx` ON `pending_provider_reports` (`received_at`);
