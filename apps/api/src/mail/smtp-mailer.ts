import nodemailer from "nodemailer";
import type { Mailer } from "../domain/ports.js";

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    kind: "smtp",
    async sendMagicLink(to, link) {
      await transport.sendMail({
        from,
        to,
        subject: "Your DNSCove sign-in link",
        text:
          `Sign in to DNSCove with this link. It works once and expires soon.\n\n${link}\n\n` +
          "If you did not ask to sign in, ignore this mail.\n",
      });
    },
  };
}
