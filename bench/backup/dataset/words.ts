// Vocabularies of a French accountancy firm's file server: the words its letters, exports and folder names use.

export const WORDS = `
le la les de des du un une et en à au aux pour par sur dans avec sans sous entre vers chez que qui dont où ce cette
ces son sa ses leur leurs notre nos votre vos nous vous il elle ils elles est sont été être avoir a ont fait faire
pas plus moins très bien aussi ainsi donc mais ou car si comme tout tous toute toutes chaque autre même déjà encore
facture factures avoir avoirs client clients fournisseur fournisseurs montant montants total totaux TVA HT TTC
échéance échéances règlement règlements paiement virement prélèvement chèque espèces banque relevé relevés compte
comptes comptable comptabilité bilan bilans exercice exercices clôture ouverture journal journaux grand livre
balance écriture écritures lettrage rapprochement bancaire immobilisation immobilisations amortissement dotation
provision provisions charges produits résultat capital réserves report dette dettes créance créances stock stocks
inventaire valorisation déclaration déclarations liasse fiscale impôt impôts société sociétés URSSAF cotisation
cotisations salaire salaires bulletin bulletins paie congés payés prime primes heures supplémentaires contrat
contrats avenant avenants mission lettre courrier courriers réponse demande demandes rendez-vous réunion réunions
compte-rendu procès-verbal assemblée générale ordinaire extraordinaire gérant gérante associé associés président
directeur directrice responsable service services prestation prestations maintenance intervention interventions
technicien technicienne serveur serveurs sauvegarde sauvegardes infogérance incident incidents résolu résolue délai
délais garantie pénalité pénalités annexe annexes adresse rue avenue boulevard place chemin impasse code postal
ville Paris Lyon Marseille Toulouse Nantes Strasbourg Bordeaux Lille Rennes Grenoble Montpellier Dijon Reims Metz
date référence références commande commandes livraison livraisons quantité prix unitaire remise escompte frais
port emballage devis proposition propositions commerciale offre tarif tarifs conditions générales vente achat
achats ventes chiffre affaires marge marges trésorerie prévisionnel budget budgets écart écarts analyse analyses
tableau tableaux synthèse annuel annuelle mensuel mensuelle trimestriel trimestrielle semestriel hebdomadaire
janvier février mars avril mai juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi
vendredi samedi dimanche matin après-midi soir semaine mois année trimestre premier première second seconde
dernier dernière prochain prochaine suivant suivante précédent précédente nouveau nouvelle ancien ancienne
merci cordialement madame monsieur mesdames messieurs bonjour veuillez trouver ci-joint ci-dessous pièce jointe
pièces jointes document documents dossier dossiers fichier fichiers copie original signé signée signature cachet
validation valider validé validée envoyer envoyé envoyée reçu reçue transmettre transmis transmise joindre
rappel relance relances retard retards mise demeure contentieux recouvrement litige litiges accord accords
juridique social fiscal fiscale fiscaux statuts Kbis siège SIRET SIREN APE NAF capital social numéro intracommunautaire
`.split(/\s+/).filter(Boolean);

export const FIRST_NAMES = `
Jean Marie Pierre Michel Anne Nathalie Isabelle Philippe Sylvie Catherine Nicolas François Françoise Christophe
Stéphane Valérie Sandrine Laurent Frédéric Céline Sébastien Hélène Éric Émilie Jérôme Aurélie Benoît Chloé Zoé Léa
Théo Noé Maël Gaëlle Joël Anaïs Loïc Raphaël Inès Clémence Agnès Thérèse Gérard Hervé René André Josée Cécile
`.split(/\s+/).filter(Boolean);

export const LAST_NAMES = `
Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David
Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier Dupont Lambert Bonnet François Martinez Legrand
Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez
Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël
Meyer Lucas Meunier Jean Pérez Marchand Dufour Blanchard Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez
Pierre Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe
`.split(/\s+/).filter(Boolean);

export const COMPANIES = [
  'Boulangerie Lefèvre', 'Garage Müller & Fils', 'Crêperie Ty Breizh', 'Hôtel Côte d’Azur', 'Pharmacie de l’Église',
  'Cabinet Durand', 'Transports Rhône-Alpes', 'Menuiserie Gauthier', 'SCI Les Érables', 'Brasserie L’Étoile',
  'Société Générale d’Équipement', 'Fromagerie Bécasse', 'Auto-école Zoé', 'Clinique Vétérinaire Saint-Éloi',
  'Imprimerie Façonnage', 'Domaine des Châtaigniers', 'Épicerie Fine Œnologie', 'Librairie Ça & Là',
  'Coiffure Hélène', 'Plâtrerie Noël', 'Ελληνικά Νόστιμα', 'ООО Север', '株式会社さくら', 'Señor García SL',
  'Björk Design', 'Kaffeehaus Groß', 'Agence Immobilière Hénin', 'Électricité Générale Joël', 'Forge Ærø',
];

export const ACCOUNTS = [
  '401000', '401100', '411000', '411100', '421000', '431000', '437000', '445660', '445710', '445800', '512000',
  '512100', '530000', '601000', '602000', '606100', '606300', '613200', '615000', '616000', '622600', '623000',
  '625100', '626000', '627000', '635000', '641000', '645100', '661100', '681100', '701000', '706000', '707000',
  '708000', '758000', '761000', '775000', '791000', '164000', '218300', '281830', '101300', '120000', '106100',
];

/** Folder names of the office tree: accents, apostrophes, ligatures, a few other scripts and an emoji. */
export const FOLDER_WORDS = [
  'Comptabilité', 'Déclarations fiscales', 'Exercice 2022', 'Exercice 2023', 'Exercice 2024', 'Exercice 2025',
  'Procès-verbaux', 'Réunions', 'Ressources humaines', 'Salariés', 'Notes de frais', 'Clients', 'Fournisseurs',
  'Trésorerie', 'Relevés bancaires', 'Contrats', 'Juridique', 'Modèles', 'Archives', 'Courrier entrant',
  'Courrier sortant', 'Commercial', 'Devis', 'Propositions', 'Factures émises', 'Factures reçues', 'Immobilisations',
  'Paie', 'URSSAF', 'TVA', 'Liasse', 'Bilan', 'Prévisionnel', 'Œuvres sociales', 'Comité d’entreprise',
  'Événements', 'Séminaire Aix-en-Provence', 'Noël', 'Été', 'Hôtel-Dieu', 'Façades', 'Cœur de ville', 'Naïf',
  'Ελληνικά', 'Русский', '日本語', '📁 Divers', 'À classer', 'Ça urge', 'L’équipe', 'Direction', 'Qualité', 'Sécurité',
];

/** File name stems for documents and small files. */
export const FILE_STEMS = [
  'Facture', 'Relevé bancaire', 'Compte rendu réunion', 'Procès-verbal AG', 'Bulletin de salaire', 'Attestation',
  'Note de frais', 'Devis signé', 'Contrat de maintenance', 'Lettre de mission', 'Déclaration TVA', 'Reçu',
  'Échéancier', 'Bilan', 'Liasse fiscale', 'Courrier', 'Présentation', 'Récapitulatif', 'Grand livre', 'Balance âgée',
  'Inventaire', 'Avoir', 'Bon de commande', 'Bon de livraison', 'Planning congés', 'Fiche de poste', 'Entretien annuel',
  'Mémo', 'Brouillon', 'Projet', 'Plan d’action', 'Synthèse', 'Tableau de bord', 'Étude', 'Réponse à l’appel d’offres',
  'Remarques ✅', 'Pièce jointe 📎', 'Übersicht', 'Σημείωση', 'Заметка', 'メモ',
];
