CREATE TABLE `site_identity_secrets` (
	`site_id` text PRIMARY KEY NOT NULL,
	`secret_enc` text NOT NULL,
	`hint` text NOT NULL,
	`created_at` integer NOT NULL,
	`previous_enc` text,
	`previous_expires_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `site_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`invited_by` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`responded_at` integer,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `site_invitations_site_email_uq` ON `site_invitations` (`site_id`,`email`);--> statement-breakpoint
CREATE INDEX `site_invitations_email_idx` ON `site_invitations` (`email`,`status`);--> statement-breakpoint
ALTER TABLE `notification_batches` ADD `leased_by` text;--> statement-breakpoint
ALTER TABLE `notification_batches` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `progress_at` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `archived_at` integer;